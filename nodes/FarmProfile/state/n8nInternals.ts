// Where the package relies on how n8n works inside, beyond its documented node API: the part that
// may break with an n8n upgrade. This is the one list of them (ARCHITECTURE.md points here); each
// names the n8n versions it was checked on.
//
// Here:
// - resume-URL signatures: 1.x checks a waiting node's signed resume URL only when the node asks
//   (`setSignatureValidationRequired`), 2.x always does and no longer has the method
//   (1.123.81, 2.41.1; feature-detected);
// - `httpRequestWithAuthentication` takes an already decrypted credential, so a node run reads and
//   decrypts its credential once, not once per request (1.123.81, 2.41.1).
// Elsewhere, each beside the code that needs it:
// - state/waitingExecution.ts: a waiting node's input in n8n's execution stack is what a timed-out
//   wait goes on with (n8n runs none of the node's code then), and what the resume call's context
//   sees as $json (1.123.81, 2.41.1);
// - state/postHistory.ts: workflow static data is loaded when an execution starts and saved whole
//   when it ends (never for manual runs), and n8n notices changes to its own properties only
//   (1.123.81, 2.41.1);
// - state/crossProcessClaim.ts: the deduplication store is one list per workflow, written whole
//   without a lock (1.123.81, 2.41.1);
// - posting/errors.ts: a NodeApiError response with a `code` key has its message replaced by n8n's
//   generic text for that code, so ours carries `failureCode` (1.123.81, 2.41.1);
// - actions/fields.ts: the waiting operation's value is n8n's SEND_AND_WAIT_OPERATION
//   (`sendAndWait`), for which n8n verifies resume signatures (1.123.81, 2.41.1);
// - storage/upload.ts: httpRequestWithAuthentication wraps a network error in a NodeApiError whose
//   cause is the original error, with its code (2.41.1 only so far);
// - media/binaryMedia.ts: getBinaryStream hands out a Node Readable, whose class makes the streamed
//   zip body, since a community node may not import node:stream (2.41.1 only so far);
// - actions/router.ts: n8n adds a "Custom API Call" operation (`__CUSTOM_API_CALL__`) to nodes whose
//   credential has generic authentication (1.123.81, 2.41.1);
// - FarmProfile.node.ts: n8n adds that Custom API Call only when a node's `defaultVersion` is unset
//   or equals its `version`, which a version list never does, so the node (versions 1 and 2) sets
//   none; the editor then gives new nodes the list's last version (1.123.81, 2.41.1);
// - FarmProfileTrigger.node.ts: the node creator shows one app entry for the action and the trigger,
//   described by the trigger (1.123.81, 2.41.1).

import type { ICredentialDataDecryptedObject, IExecuteFunctions, INode } from 'n8n-workflow';

/** Makes n8n check the resume URL's signature (1.x asks to be told; 2.x always checks). */
export function requireResumeSignature(ctx: IExecuteFunctions): void {
	(ctx as IExecuteFunctions & { setSignatureValidationRequired?: () => void }).setSignatureValidationRequired?.();
}

/** The options that let `httpRequestWithAuthentication` use an already decrypted credential. */
export function decryptedCredentialOptions(ctx: { getNode(): INode }, type: string, data: ICredentialDataDecryptedObject) {
	const reference = ctx.getNode().credentials?.[type];
	return { credentialsDecrypted: { id: reference?.id ?? '', name: reference?.name ?? '', type, data } };
}
