// Turns checked problems into the errors n8n shows: which item, which field, what is wrong, the fix.

import { NodeApiError, NodeOperationError, type INode, type JsonObject } from 'n8n-workflow';

import type { ApiFailure } from '../transport/failures';
import type { FieldIssue } from './body';

/** `before`: what the fields are needed for, e.g. "posting" or "updating the profile". */
export function invalidFieldsError(node: INode, issues: FieldIssue[], itemIndex: number, before = 'posting'): NodeOperationError {
	const fields = [...new Set(issues.map((issue) => issue.field))];
	const message =
		issues.length === 1
			? `${issues[0].field} ${issues[0].problem} [item ${itemIndex}]`
			: `${fields.join(', ')} ${fields.length === 1 ? 'needs' : 'need'} fixing before ${before} [item ${itemIndex}]`;
	const description = issues
		.map((issue) => `${issue.field} ${issue.problem}: ${issue.fix}.`)
		.concat('Nothing was sent to the farm API.')
		.join('\n');
	return new NodeOperationError(node, message, { itemIndex, description });
}

/** An answer of the farm API (or the network) that stopped a post, carrying what it means. */
export class FarmApiError extends NodeApiError {
	constructor(
		node: INode,
		readonly apiFailure: ApiFailure,
		itemIndex: number,
	) {
		const message = `${apiFailure.message} [item ${itemIndex}]`;
		// The response n8n keeps with the error: only what we chose to show, nothing of the request
		// (see state/n8nInternals.ts for why there is no `code` key).
		const response: JsonObject = {
			message,
			description: apiFailure.description,
			failureCode: apiFailure.code,
			mayHavePosted: apiFailure.mayHavePosted,
		};
		super(node, response, {
			message,
			description: apiFailure.description,
			httpCode: /^\d{3}$/.test(apiFailure.code) ? apiFailure.code : undefined,
			itemIndex,
		});
	}
}

/** A delivery (media or a profile picture) that failed before anything was sent: its field issues, or the storage's failure. */
export function deliveryError(node: INode, failed: { issues: FieldIssue[] } | { failure: ApiFailure }, itemIndex: number, before?: string): NodeOperationError | FarmApiError {
	return 'issues' in failed ? invalidFieldsError(node, failed.issues, itemIndex, before) : apiFailureError(node, failed.failure, itemIndex);
}

export function apiFailureError(node: INode, failure: ApiFailure, itemIndex: number): FarmApiError {
	return new FarmApiError(node, failure, itemIndex);
}

/** Errors reach n8n as NodeApiError or NodeOperationError, with the item they belong to. */
export function asNodeError(node: INode, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error as Error, { itemIndex });
}

/** Adds the items this run already posted to the error that stops it, so their task ids are not lost. */
export function withPostedSoFar<T extends NodeApiError | NodeOperationError>(
	error: T,
	posted: Array<{ itemIndex: number; taskId: string }>,
): T {
	if (posted.length === 0) return error;
	const list = posted.map(({ itemIndex, taskId }) => `item ${itemIndex}: ${taskId}`).join(', ');
	error.description = `${error.description ?? ''}\nAlready posted by this run (not sent again if the node is retried): ${list}.`.trim();
	return error;
}

/** The item a failed post leaves behind when the node is set to continue on fail. */
export function errorItemJson(error: unknown): JsonObject {
	const { message, description } = error as { message?: string; description?: string | null };
	const failure = error instanceof FarmApiError ? error.apiFailure : undefined;
	return {
		error: message ?? String(error),
		...(description ? { description } : {}),
		...(failure ? { code: failure.code, may_have_posted: failure.mayHavePosted } : {}),
	};
}
