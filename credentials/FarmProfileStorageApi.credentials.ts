import type {
	ICredentialDataDecryptedObject,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { signForTransport } from '../nodes/FarmProfile/storage/storageCredential';

// S3-compatible storage the Farm Profile node uploads binary media to (Media Source: Binary File).
// The package's own credential: community packages may not reuse n8n's s3/aws credentials.
export class FarmProfileStorageApi implements ICredentialType {
	name = 'farmProfileStorageApi';

	displayName = 'Farm Profile Storage (S3-Compatible) API';

	icon: Icon = { light: 'file:farmProfile.svg', dark: 'file:farmProfile.dark.svg' };

	documentationUrl = 'https://github.com/farm-profile/n8n-nodes-farm-profile#storage-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'Endpoint',
			name: 'endpoint',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. https://s3.eu-central-1.amazonaws.com',
			description:
				"The storage's S3 API address (AWS S3, Cloudflare R2, Backblaze B2, MinIO, …). The farm downloads from it, so it must be a public https:// address.",
		},
		{
			displayName: 'Region',
			name: 'region',
			type: 'string',
			required: true,
			default: 'us-east-1',
			placeholder: 'e.g. eu-central-1',
			description: 'The region of the bucket. Cloudflare R2 uses "auto".',
		},
		{
			displayName: 'Bucket',
			name: 'bucket',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. farm-uploads',
			description: "The bucket's name only (no slashes, no URL)",
		},
		{
			displayName: 'Access Key ID',
			name: 'accessKeyId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. AKIAIOSFODNN7EXAMPLE',
		},
		{
			displayName: 'Secret Access Key',
			name: 'secretAccessKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
		},
		{
			displayName: 'Session Token',
			name: 'sessionToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Only for temporary keys (AWS STS)',
		},
		{
			displayName: 'Force Path Style',
			name: 'forcePathStyle',
			type: 'boolean',
			default: false,
			description:
				'Whether to address the bucket as <endpoint>/<bucket> instead of <bucket>.<endpoint host>. Turn it on for MinIO and for bucket names with dots.',
		},
		{
			displayName: 'Path Prefix',
			name: 'pathPrefix',
			type: 'string',
			default: '',
			placeholder: 'e.g. farm/uploads',
			description: 'Folder in the bucket the uploads go to. Empty: the root of the bucket.',
		},
		{
			displayName: 'Public Base URL',
			name: 'publicBaseUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://media.example.com',
			description:
				'Only for a public bucket or a CDN in front of it: the farm then gets <Public Base URL>/<key>, a link that does not expire. Empty: the farm gets a signed link valid until the post is done.',
		},
	];

	// n8n calls this for every request made with the credential (the test below and the node's
	// uploads): an AWS Signature V4 over the request as it will be sent.
	async authenticate(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		return signForTransport(credentials, requestOptions);
	}

	// HEAD of the bucket: proves the endpoint, region, bucket and keys without writing anything.
	// authenticate reads a URL without a scheme as a path in the bucket, addressed as the node
	// addresses it (path style or virtual-hosted): '/' is the bucket itself.
	test: ICredentialTestRequest = {
		request: { method: 'HEAD', url: '/' },
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'The storage refused (403): check the Access Key ID, Secret Access Key and Region. This test also needs s3:ListBucket on the bucket; the node itself needs only s3:PutObject and s3:GetObject.',
				},
			},
			{ type: 'responseCode', properties: { value: 404, message: 'The storage has no bucket with this name at this Endpoint (404): check Bucket, Endpoint and Force Path Style' } },
			{ type: 'responseCode', properties: { value: 301, message: 'The bucket is in another region (301): set Region and Endpoint to the bucket\'s' } },
			{ type: 'responseCode', properties: { value: 400, message: 'The storage refused the request (400): check that Region matches the bucket\'s region' } },
		],
	};
}
