// The package's main, as dist/index.js: the build copies this file there, so it requires the built
// files beside it. n8n itself loads the files listed under "n8n" in package.json; this entry point
// only lets the package be required as a whole (e.g. by tools that inspect it).
module.exports = {
	credentials: {
		FarmProfileApi: require('./credentials/FarmProfileApi.credentials').FarmProfileApi,
		FarmProfileStorageApi: require('./credentials/FarmProfileStorageApi.credentials').FarmProfileStorageApi,
	},
	nodes: {
		FarmProfile: require('./nodes/FarmProfile/FarmProfile.node').FarmProfile,
		FarmProfileTrigger: require('./nodes/FarmProfileTrigger/FarmProfileTrigger.node').FarmProfileTrigger,
	},
};
