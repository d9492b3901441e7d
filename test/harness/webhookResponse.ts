// The part of n8n's webhook context that answers the caller (an Express response), recording what
// the node answered, for tests that mock n8n's webhook context.

export function recordingResponse() {
	const response = { statusCode: 200, sent: undefined as unknown };
	const res = {
		status(code: number) {
			response.statusCode = code;
			return res;
		},
		json(payload: unknown) {
			response.sent = payload;
			return res;
		},
	};
	return { res, response };
}
