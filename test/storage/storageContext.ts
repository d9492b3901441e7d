// The storage as the node connects to it (connectStorage), with n8n's side mocked at the edge: the
// node's credential reference, and httpRequestWithAuthentication doing what n8n does with this
// credential: run its authenticate (the signing production uses), send the request with the given
// transport, and wrap a network error in a NodeApiError.

import type { Readable } from 'node:stream';
import { NodeApiError, type ICredentialDataDecryptedObject, type IExecuteFunctions, type IHttpRequestOptions, type INode, type JsonObject } from 'n8n-workflow';

import { FarmProfileStorageApi } from '../../credentials/FarmProfileStorageApi.credentials';
import type { HttpRequestFunction, Storage } from '../../nodes/FarmProfile/storage/storageCredential';
import { connectStorage } from '../../nodes/FarmProfile/storage/upload';
import { send } from './rawHttp';

/** A plain client with n8n's contract (returnFullResponse + ignoreHttpStatusErrors), able to reach *.farm.test. */
export const plainHttp: HttpRequestFunction = async (options: IHttpRequestOptions) => {
	const response = await send({
		method: options.method ?? 'GET',
		url: options.url,
		headers: options.headers as Record<string, string>,
		body: options.body as unknown as Buffer | Readable | undefined,
	});
	return { statusCode: response.statusCode, headers: response.headers, body: response.body };
};

export async function connectTestStorage(data: ICredentialDataDecryptedObject, options: { name?: string; transport?: HttpRequestFunction } = {}): Promise<Storage> {
	const transport = options.transport ?? plainHttp;
	const node = {
		name: 'Farm Profile',
		credentials: options.name === undefined ? {} : { farmProfileStorageApi: { id: '2', name: options.name } },
	} as unknown as INode;
	const ctx = {
		getNode: () => node,
		getCredentials: async () => data,
		helpers: {
			async httpRequestWithAuthentication(_type: string, request: IHttpRequestOptions, extra: { credentialsDecrypted: { data: ICredentialDataDecryptedObject } }) {
				const signed = await new FarmProfileStorageApi().authenticate(extra.credentialsDecrypted.data, request);
				try {
					return await transport(signed);
				} catch (error) {
					throw new NodeApiError(node, error as JsonObject);
				}
			},
		},
	} as unknown as IExecuteFunctions;
	return await connectStorage(ctx);
}
