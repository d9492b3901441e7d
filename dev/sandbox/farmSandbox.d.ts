export interface SandboxProfile {
	profile_id: string;
	profile_name: string;
	phone_id: string;
	status: string;
	tiktok_username: string;
	created_at?: string | null;
	/** Set by PATCH /v1/farm-profiles/{id}; not part of the profile object it answers. */
	bio?: string;
	profile_picture_url?: string;
}

/** One item of GET /v1/sources, in the shape the sandbox answers (the node's README names it). */
export interface SandboxSource {
	source_id: string;
	source_type: 'sound' | 'hashtag';
	title: string;
	status: string;
	post_count: number;
	creator_count: number;
}

/** A PATCH /v1/farm-profiles/{id} the sandbox applied. */
export interface SandboxProfileUpdate {
	profile_id: string;
	body: { bio?: string; profile_picture_url?: string };
	received_at: string;
	/** Set when verifyMedia is on: what was downloaded from profile_picture_url. */
	picture?: { status: number; size: number; sha256: string; content_type: string | null; redirects: number; kind: 'jpeg' | 'png' };
}

/** What the sandbox downloaded from media_url when verifyMedia is on. */
export interface SandboxMedia {
	status: number;
	size: number;
	sha256: string;
	content_type: string | null;
	/** How many redirects were followed. */
	redirects: number;
	kind: 'mp4' | 'zip';
	/** Slideshows: the zip's entries, in order. */
	entries?: Array<{ name: string; size: number }>;
}

export interface SandboxPost {
	task_id: string;
	body: Record<string, unknown>;
	received_at: string;
	/** Set when verifyMedia is on. */
	media?: SandboxMedia;
}

export interface SandboxMediaDownload {
	url: string;
	status: number | null;
	size: number | null;
	error: string | null;
	redirects: string[];
}

export interface SandboxCallback {
	task_id: string;
	url: string;
	payload: { event: string; phone_id: string; post_url: string };
	sent_at: string;
	status: number | null;
	error: string | null;
}

export interface SandboxFault {
	mode: '502' | 'slow' | 'drop' | 'html' | 'status';
	count?: number;
	path?: string;
	delayMs?: number;
	status?: number;
	body?: unknown;
}

export interface SandboxOptions {
	host?: string;
	port?: number;
	apiKeys?: string[];
	profiles?: SandboxProfile[];
	/** What GET /v1/sources lists; default DEFAULT_SOURCES. */
	sources?: SandboxSource[];
	/** Which profile ids each key's team owns: PATCH to another team's profile answers 403. Unset: no teams. */
	teams?: Record<string, string[]>;
	/** The longest bio PATCH accepts (default 80). */
	maxBioLength?: number;
	rateLimit?: { limit?: number; windowMs?: number };
	retryAfter?: boolean;
	callbackDelayMs?: number;
	allowHttpLoopback?: boolean;
	/** Download media_url on each post (and profile_picture_url on each update) and refuse (422) what the farm could not fetch or read. Default false. */
	verifyMedia?: boolean;
	log?: (line: string) => void;
}

export interface FarmSandbox {
	readonly url: string;
	/** The options in force; callbackDelayMs may be changed between posts. */
	config: Required<Omit<SandboxOptions, 'rateLimit' | 'teams'>> & { rateLimit: { limit: number; windowMs: number }; teams?: Record<string, string[]> };
	state: { posts: SandboxPost[]; profileUpdates: SandboxProfileUpdate[]; rejected: Array<{ status: number; body: unknown; detail?: Array<{ loc: string[]; msg: string; type: string }> }>; callbacks: SandboxCallback[]; records: Array<{ at: string; body: any }>; mediaRequests: Array<{ method: string; name: string; range: string | null }>; mediaDownloads: SandboxMediaDownload[]; requests: number };
	start(): Promise<FarmSandbox>;
	stop(): Promise<void>;
	injectFault(fault: SandboxFault): void;
	reset(): void;
	serveMedia(name: string, file: { body: Buffer; contentType?: string; refuseHead?: boolean; ignoreRange?: boolean; redirectTo?: string }): string;
	setProfileStatus(profileId: string, status: string): void;
	waitForPosts(count: number, timeoutMs?: number): Promise<SandboxPost[]>;
	waitForRecords(count: number, timeoutMs?: number): Promise<Array<{ at: string; body: any }>>;
	waitForCallbacks(count: number, timeoutMs?: number): Promise<SandboxCallback[]>;
}

export function createFarmSandbox(options?: SandboxOptions): FarmSandbox;
export const DEFAULT_PROFILES: SandboxProfile[];
export const DEFAULT_SOURCES: SandboxSource[];
/** The documented farm profile object of a profile: what PATCH /v1/farm-profiles/{id} answers. */
export function profileObject(profile: SandboxProfile): { profile_id: string; profile_name: string; tiktok_username: string; created_at: string | null; phone_id: string; status: string };
/** `count` sounds "Sound 1" … (ids 7300000000000000001 …, n × 10 posts), a hashtag after every 10th; `titles` by sound number. */
export function makeSources(count: number, titles?: Record<number, string>): SandboxSource[];
