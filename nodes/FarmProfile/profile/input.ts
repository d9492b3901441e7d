// What the user filled in for a profile update, read from n8n before any check. Fields left unset
// take the default of their declaration in actions/profileFields.ts; the Options are read as a
// post's are (posting/input.ts).

import type { IExecuteFunctions } from 'n8n-workflow';

import { profileFields } from '../actions/profileFields';
import { optionReader, requestSettings, type RequestSettings } from '../posting/input';

export interface ProfileUpdateInput extends RequestSettings {
	profileId: unknown;
	bio: unknown;
	/** Where the picture comes from: Picture URL (empty keeps the current one), or the item's binary file. */
	pictureSource: 'url' | 'binaryFile';
	pictureUrl: unknown;
	binaryProperty: unknown;
}

export function readProfileUpdateInput(ctx: IExecuteFunctions, itemIndex: number): ProfileUpdateInput {
	const field = (name: string) => ctx.getNodeParameter(name, itemIndex, profileFields.find((declared) => declared.name === name)?.default);
	const pictureSource = field('mediaSource') === 'binaryFile' ? 'binaryFile' : 'url';
	return {
		profileId: field('profileId'),
		bio: field('bio'),
		pictureSource,
		// The field of the source not chosen is hidden, and not read.
		pictureUrl: pictureSource === 'url' ? field('pictureUrl') : undefined,
		binaryProperty: pictureSource === 'binaryFile' ? field('binaryProperty') : undefined,
		...requestSettings(optionReader(ctx, itemIndex)),
	};
}
