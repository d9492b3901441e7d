// n8n loads the files listed under "n8n" in package.json; this entry point only lets the package
// be required as a whole (e.g. by tools that inspect it).
module.exports = {
	credentials: {
		FarmProfileApi: require('./dist/credentials/FarmProfileApi.credentials').FarmProfileApi,
	},
	nodes: {
		FarmProfile: require('./dist/nodes/FarmProfile/FarmProfile.node').FarmProfile,
		FarmProfileTrigger: require('./dist/nodes/FarmProfileTrigger/FarmProfileTrigger.node').FarmProfileTrigger,
	},
};
