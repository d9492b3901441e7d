// The bytes of a file at an offset, whether the node holds the file (a Buffer), streams it (n8n's
// filesystem binary mode), or reads it by ranges from a URL (rangedReads.ts): the MP4 reader walks
// all three the same way.

/** A stream as n8n hands it out (a Node Readable), or any async source of chunks. */
export type ByteStream = NodeJS.ReadableStream | AsyncIterable<Uint8Array | string>;

export interface ByteSource {
	/** Up to `length` bytes from `offset`, fewer at the end of the file. Callers never go back (a stream cannot). */
	read(offset: number, length: number): Promise<Buffer>;
}

export function asBuffer(chunk: Uint8Array | string): Buffer {
	return typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

export function bufferSource(bytes: Buffer): ByteSource {
	return { read: async (offset, length) => bytes.subarray(offset, offset + length) };
}

/**
 * Lends `use` a source reading `stream` forward: bytes before the offset asked for are passed over,
 * not kept, so a large media box is never held. The stream is closed when `use` is done.
 */
export async function withStreamSource<T>(stream: ByteStream, use: (source: ByteSource) => Promise<T>): Promise<T> {
	const chunks = (stream as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator]();
	let held: Buffer = Buffer.alloc(0); // the bytes read and not yet passed over
	let start = 0; // where `held` starts in the file (or the next chunk, when nothing is held)
	let ended = false;
	const source: ByteSource = {
		async read(offset, length) {
			for (;;) {
				const pass = Math.min(Math.max(0, offset - start), held.length);
				held = held.subarray(pass);
				start += pass;
				if (ended || (start === offset && held.length >= length)) break;
				const next = await chunks.next();
				if (next.done) ended = true;
				else held = held.length === 0 ? asBuffer(next.value) : Buffer.concat([held, asBuffer(next.value)]);
			}
			return start === offset ? held.subarray(0, length) : Buffer.alloc(0);
		},
	};
	try {
		return await use(source);
	} finally {
		await chunks.return?.();
	}
}
