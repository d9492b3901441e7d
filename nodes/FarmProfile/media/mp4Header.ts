// Reads what a few kilobytes of an MP4 tell: that it is one (an `ftyp` box first), and its length
// from the movie header (`mvhd`) when that is within the bytes read.

export function isMp4(head: Buffer): boolean {
	return head.length >= 8 && head.toString('latin1', 4, 8) === 'ftyp';
}

/** The movie's duration in seconds, or undefined when no movie header is in `bytes`. */
export function movieDurationSeconds(bytes: Buffer): number | undefined {
	const at = bytes.indexOf('mvhd', 0, 'latin1');
	if (at < 4) return undefined;
	const version = bytes[at + 4];
	if (version === 0 && at + 24 <= bytes.length) {
		const timescale = bytes.readUInt32BE(at + 16);
		return timescale ? bytes.readUInt32BE(at + 20) / timescale : undefined;
	}
	if (version === 1 && at + 36 <= bytes.length) {
		const timescale = bytes.readUInt32BE(at + 24);
		return timescale ? Number(bytes.readBigUInt64BE(at + 28)) / timescale : undefined;
	}
	return undefined;
}
