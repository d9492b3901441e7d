'use strict';
// Small, structurally real media files made on the spot: an MP4 (ftyp, moov/mvhd with a duration,
// mdat), a zip (stored entries, central directory, end record) and images by their first bytes.
// Enough for the preflight's checks and for the sandbox to serve in the playground.

const zlib = require('node:zlib');

function box(type, ...payload) {
	const body = Buffer.concat(payload);
	const header = Buffer.alloc(8);
	header.writeUInt32BE(body.length + 8, 0);
	header.write(type, 4, 'latin1');
	return Buffer.concat([header, body]);
}

/** An MP4 of `seconds` length; `moovAtEnd` puts the movie header after the media data (no fast start). */
function makeMp4(seconds, { moovAtEnd = false, mdatBytes = 1024 } = {}) {
	const ftyp = box('ftyp', Buffer.from('isom', 'latin1'), Buffer.from([0, 0, 2, 0]), Buffer.from('isomiso2avc1mp41', 'latin1'));
	const mvhd = Buffer.alloc(100);
	mvhd.writeUInt32BE(0, 0); // version 0, flags
	mvhd.writeUInt32BE(1000, 12); // timescale: ms
	mvhd.writeUInt32BE(Math.round(seconds * 1000), 16); // duration
	mvhd.writeUInt32BE(0x00010000, 20); // rate 1.0
	const moov = box('moov', box('mvhd', mvhd));
	const mdat = box('mdat', Buffer.alloc(mdatBytes, 0x11));
	return moovAtEnd ? Buffer.concat([ftyp, mdat, moov]) : Buffer.concat([ftyp, moov, mdat]);
}

/** A little-endian zip record of `size` bytes, with [offset, bits, value] fields set. */
function zipRecord(size, fields) {
	const record = Buffer.alloc(size);
	for (const [offset, bits, value] of fields) {
		if (bits === 16) record.writeUInt16LE(value, offset);
		else record.writeUInt32LE(value, offset);
	}
	return record;
}

/** A zip holding `names`, each a few bytes, stored without compression. */
function makeZip(names) {
	const locals = [];
	const centrals = [];
	let offset = 0;
	for (const name of names) {
		const data = Buffer.from(`data of ${name}`);
		const nameBytes = Buffer.from(name, 'utf8');
		const crc = zlib.crc32(data);
		// crc, both sizes and the name's length: at 14 in a local header, at 16 in a central one.
		const shared = (at) => [[at, 32, crc], [at + 4, 32, data.length], [at + 8, 32, data.length], [at + 12, 16, nameBytes.length]];
		locals.push(zipRecord(30, [[0, 32, 0x04034b50], [4, 16, 20], ...shared(14)]), nameBytes, data);
		centrals.push(zipRecord(46, [[0, 32, 0x02014b50], [4, 16, 20], [6, 16, 20], ...shared(16), [42, 32, offset]]), nameBytes);
		offset += 30 + nameBytes.length + data.length;
	}
	const directory = Buffer.concat(centrals);
	const end = zipRecord(22, [[0, 32, 0x06054b50], [8, 16, names.length], [10, 16, names.length], [12, 32, directory.length], [16, 32, offset]]);
	return Buffer.concat([...locals, directory, end]);
}

const IMAGE_HEADS = {
	jpeg: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]),
	png: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]),
	gif: Buffer.from('GIF89a', 'latin1'),
	webp: Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')]),
};

/** An image that is what its first bytes say (JPEG, PNG, GIF or WebP), `label` making each one's bytes its own. */
function makeImage(format, label = format) {
	return Buffer.concat([IMAGE_HEADS[format], Buffer.from(` ${label} `.repeat(40), 'latin1')]);
}

module.exports = { makeMp4, makeZip, makeImage };
