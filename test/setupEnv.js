// n8n-core logs every node error it sees; the tests assert on those errors themselves.
process.env.N8N_LOG_LEVEL = 'silent';
