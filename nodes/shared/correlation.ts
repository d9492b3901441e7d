// The post.published callback carries only phone_id and post_url, so the action node puts its own
// reference on the webhook URL it sends and the trigger reads it back from the query string.

export const POST_REF_PARAM = 'post_ref';
export const PROFILE_ID_PARAM = 'profile_id';
/** Query parameter that carries the trigger's secret token; never copied into any output. */
export const TOKEN_PARAM = 'token';
/** n8n's own signature on a resume URL: a secret too. */
export const RESUME_SIGNATURE_PARAM = 'signature';
const SECRET_PARAMS = [TOKEN_PARAM, RESUME_SIGNATURE_PARAM];

export interface Correlation {
	postRef: string;
	profileId: string;
}

/** Adds the correlation parameters to a callback URL, keeping every query parameter it already has. */
export function addCorrelation(webhookUrl: string, correlation: Correlation): string {
	const url = new URL(webhookUrl);
	url.searchParams.set(POST_REF_PARAM, correlation.postRef);
	url.searchParams.set(PROFILE_ID_PARAM, correlation.profileId);
	return url.toString();
}

export interface CallbackQuery {
	post_ref: string | null;
	profile_id: string | null;
	/** Every other query parameter, less the secrets. */
	query: Record<string, string>;
}

/** Splits a callback's query string into the correlation reference and the user's own parameters. */
export function readCorrelation(query: Record<string, unknown>): CallbackQuery {
	const rest: Record<string, string> = {};
	for (const [key, value] of Object.entries(query)) {
		if (key === POST_REF_PARAM || key === PROFILE_ID_PARAM || SECRET_PARAMS.includes(key)) continue;
		rest[key] = firstValue(value) ?? '';
	}
	return {
		post_ref: firstValue(query[POST_REF_PARAM]),
		profile_id: firstValue(query[PROFILE_ID_PARAM]),
		query: rest,
	};
}

function firstValue(value: unknown): string | null {
	if (Array.isArray(value)) return firstValue(value[0]);
	if (value === undefined || value === null) return null;
	return String(value);
}
