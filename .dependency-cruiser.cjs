// Rules from the layers in scripts/layers.cjs: no import points up a layer, or sideways unless listed there.
// docs/architecture.md shows the graph (npm run graph writes it; test/unit/architecture.test.ts checks both).
const { LAYERS, SIDEWAYS } = require('./scripts/layers.cjs');

const rules = [];
LAYERS.forEach((layer, depth) => {
  const above = LAYERS.slice(0, depth).flat();
  for (const folder of layer) {
    const peers = layer.filter((f) => f !== folder && !(SIDEWAYS[folder] ?? []).includes(f));
    const forbidden = [...above, ...peers];
    if (forbidden.length === 0) continue;
    rules.push({
      name: `${folder}-imports-down`,
      comment: `src/${folder}/ may not import ${forbidden.join(', ')}`,
      severity: 'error',
      from: { path: `^src/${folder}/` },
      to: { path: `^src/(${forbidden.join('|')})/` },
    });
  }
});
rules.push({
  name: 'no-circular-folders',
  comment: 'folders form no import cycle',
  severity: 'error',
  from: { path: '^src/' },
  to: { circular: true, viaOnly: { path: '^src/[^/]+/' }, pathNot: '^src/[^/]+\\.ts$' },
});

module.exports = {
  forbidden: rules,
  options: {
    parser: 'swc',
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist)' },
    includeOnly: '^src/',
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
