import type { INodeProperties } from 'n8n-workflow';

import { BINARY_FIELD, PROFILE_ID_FIELD, REQUEST_OPTIONS } from './fields';

// The declaration of every field of the Profile resource, once. Profile ID, the picture's source
// (`mediaSource`) and its binary field share their names with the Post fields of the same meaning:
// n8n shows the one whose display options match, a value carries over when the resource changes,
// and the storage credential appears for a Binary File source of either.

const showForUpdate = { show: { resource: ['profile'], operation: ['update'] } };
const showForPicture = (source: 'url' | 'binaryFile') => ({ show: { ...showForUpdate.show, mediaSource: [source] } });

export const profileOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	default: 'update',
	options: [
		{
			name: 'Update',
			value: 'update',
			action: 'Update a farm profile',
			description: "Set the profile's bio and/or picture",
		},
	],
	displayOptions: { show: { resource: ['profile'] } },
};

export const profileFields: INodeProperties[] = [
	{
		...PROFILE_ID_FIELD,
		description: 'UUID of the farm profile to update. It must belong to the team of the API key.',
		displayOptions: showForUpdate,
	},
	{
		displayName: 'Bio',
		name: 'bio',
		type: 'string',
		default: '',
		typeOptions: { rows: 3 },
		placeholder: 'e.g. Calm mornings, one tip a day',
		description:
			'The new bio. Leave empty to keep the current one. The farm API decides how long a bio may be: one it finds too long is refused with its reason.',
		displayOptions: showForUpdate,
	},
	{
		displayName: 'Profile Picture',
		name: 'mediaSource',
		type: 'options',
		default: 'url',
		options: [
			{ name: 'From URL', value: 'url', description: 'A public https:// address of a JPEG or PNG, which the farm downloads' },
			{
				name: 'From Binary File',
				value: 'binaryFile',
				description: "The item's binary file: the node uploads it to your S3-compatible storage and gives the farm a link",
			},
		],
		description: 'Where the new picture comes from',
		displayOptions: showForUpdate,
	},
	{
		displayName: 'Picture URL',
		name: 'pictureUrl',
		type: 'string',
		default: '',
		placeholder: 'e.g. https://cdn.example.com/avatars/rita.jpg',
		description:
			'Public https:// address of a JPEG or PNG (checked by its bytes before the update). Leave empty to keep the current picture.',
		displayOptions: showForPicture('url'),
	},
	{
		...BINARY_FIELD,
		hint: 'The name of the input binary field containing the JPEG or PNG picture',
		description: 'The picture is checked by its bytes, uploaded to the storage of the storage credential, and its link sent to the farm',
		displayOptions: showForPicture('binaryFile'),
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showForUpdate,
		options: REQUEST_OPTIONS,
	},
];

/** The PATCH body's properties and the fields that fill them; the inverse names a 422's field. */
export const PROFILE_BODY_FIELDS = {
	bio: { property: 'bio' },
	mediaSource: { property: 'profile_picture_url' },
} as const;

export function labelForProfileProperty(property: string): string {
	const entry = Object.entries(PROFILE_BODY_FIELDS).find(([, field]) => field.property === property);
	return entry ? profileLabel(entry[0]) : property;
}

/** The label the user sees for a Profile field. */
export function profileLabel(name: string): string {
	return profileFields.find((field) => field.name === name)?.displayName ?? name;
}
