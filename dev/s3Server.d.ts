export interface StoredObject {
	/** Undefined when the server was started with storeBodies: false. */
	body?: Buffer;
	size: number;
	sha256: string;
	contentType: string;
	metadata: Record<string, string>;
	etag: string;
}
export interface RecordedRequest {
	method: string;
	url: string;
	host: string;
	headers: Record<string, string | string[] | undefined>;
	bodyBytes: number;
	style?: 'path' | 'virtual-hosted';
	auth?: 'header' | 'query';
	outcome?: string;
}
export interface S3ServerOptions {
	accessKeyId?: string;
	secretAccessKey?: string;
	region?: string;
	buckets?: string[];
	serviceHosts?: string[];
	deny?: { put?: boolean; get?: boolean };
	now?: () => Date;
	storeBodies?: boolean;
	conditionalWrites?: boolean;
	/** Default: a free port. */
	port?: number;
}
export interface S3Server {
	port: number;
	config: { accessKeyId: string; secretAccessKey: string; region: string; deny: { put?: boolean; get?: boolean }; storeBodies: boolean; conditionalWrites: boolean };
	objects: Map<string, StoredObject>;
	requests: RecordedRequest[];
	endpoint: string;
	virtualHostEndpoint: string;
	/** The data of a Farm Profile storage credential for this server (path style). */
	storageCredential(bucket?: string, pathPrefix?: string): {
		endpoint: string;
		region: string;
		bucket: string;
		accessKeyId: string;
		secretAccessKey: string;
		forcePathStyle: boolean;
		pathPrefix: string;
	};
	/** Forgets every stored object and recorded request, as between tests. */
	reset(): void;
	close(): Promise<void>;
}
export function startS3Server(options?: S3ServerOptions): Promise<S3Server>;
