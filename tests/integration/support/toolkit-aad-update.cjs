// Runs the Agents Toolkit's own `aadApp/update` manifest handling (@microsoft/teamsfx-core, the
// library `atk` runs) over one Entra manifest, in a plain Node process: the toolkit's dependencies
// include ES modules that Node loads but jest's module registry cannot.
// Usage: node toolkit-aad-update.cjs <projectDir> <manifest> <outFile>; placeholders from the env.
// Prints { manifest, warnings, graph: { scopeIds, roleIds, scopes, roles } } or { error } as JSON.
const {
  buildAadManifest,
} = require('@microsoft/teamsfx-core/build/component/driver/aad/utility/buildAadManifest');
const {
  getPermissionMap,
} = require('@microsoft/teamsfx-core/build/component/driver/aad/permissions/index');

const [projectPath, manifestPath, outFile] = process.argv.slice(2);
const warnings = [];
const context = {
  projectPath,
  logProvider: { warning: (m) => warnings.push(m), info: () => undefined },
};
buildAadManifest(context, manifestPath, outFile).then(
  (manifest) => {
    const g = getPermissionMap()['00000003-0000-0000-c000-000000000000'];
    const graph = { scopeIds: g.scopeIds, roleIds: g.roleIds, scopes: g.scopes, roles: g.roles };
    process.stdout.write(JSON.stringify({ manifest, warnings, graph }));
  },
  (error) =>
    process.stdout.write(JSON.stringify({ error: `${error.name}: ${error.message}`, warnings })),
);
