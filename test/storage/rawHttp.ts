// A plain HTTP client for the storage tests: sends exactly the given method, URL, headers and body
// (a Buffer or a stream), and connects *.farm.test host names to 127.0.0.1 so virtual-hosted style
// (Host: <bucket>.s3.farm.test) reaches the local test server.

import * as http from 'node:http';
import type { LookupFunction } from 'node:net';
import { Readable } from 'node:stream';

export interface RawResponse {
	statusCode: number;
	headers: http.IncomingHttpHeaders;
	body: Buffer;
}

const lookup: LookupFunction = (hostname, options, callback) => {
	if (hostname.endsWith('.farm.test') || hostname === 'farm.test') {
		if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
		else callback(null, '127.0.0.1', 4);
		return;
	}
	require('node:dns').lookup(hostname, options, callback);
};

export function send(options: { method: string; url: string; headers?: Record<string, string>; body?: Buffer | Readable }): Promise<RawResponse> {
	return new Promise((resolve, reject) => {
		const request = http.request(options.url, { method: options.method, headers: options.headers, lookup }, (response) => {
			const chunks: Buffer[] = [];
			response.on('data', (chunk: Buffer) => chunks.push(chunk));
			response.on('end', () => resolve({ statusCode: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
			response.on('error', reject);
		});
		request.on('error', reject);
		if (options.body instanceof Readable) options.body.pipe(request);
		else request.end(options.body);
	});
}
