'use strict';
// Small, structurally real media files made on the spot: an MP4 (ftyp, moov/mvhd with a duration,
// mdat) and a zip (stored entries, central directory, end record). Enough for the preflight's
// checks and for the sandbox to serve in the playground.

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

/** A zip holding `names`, each a few bytes, stored without compression. */
function makeZip(names) {
	const locals = [];
	const centrals = [];
	let offset = 0;
	for (const name of names) {
		const data = Buffer.from(`data of ${name}`);
		const nameBytes = Buffer.from(name, 'utf8');
		const crc = zlib.crc32(data);
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0);
		local.writeUInt16LE(20, 4);
		local.writeUInt32LE(crc, 14);
		local.writeUInt32LE(data.length, 18);
		local.writeUInt32LE(data.length, 22);
		local.writeUInt16LE(nameBytes.length, 26);
		locals.push(local, nameBytes, data);
		const central = Buffer.alloc(46);
		central.writeUInt32LE(0x02014b50, 0);
		central.writeUInt16LE(20, 4);
		central.writeUInt16LE(20, 6);
		central.writeUInt32LE(crc, 16);
		central.writeUInt32LE(data.length, 20);
		central.writeUInt32LE(data.length, 24);
		central.writeUInt16LE(nameBytes.length, 28);
		central.writeUInt32LE(offset, 42);
		centrals.push(central, nameBytes);
		offset += 30 + nameBytes.length + data.length;
	}
	const directory = Buffer.concat(centrals);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(names.length, 8);
	end.writeUInt16LE(names.length, 10);
	end.writeUInt32LE(directory.length, 12);
	end.writeUInt32LE(offset, 16);
	return Buffer.concat([...locals, directory, end]);
}

module.exports = { makeMp4, makeZip };
