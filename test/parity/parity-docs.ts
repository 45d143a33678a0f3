// npm run parity:docs: writes docs/fidelity.md's section of known differences from known-differences.yaml.
import { writeFidelityDoc } from './docs.js';
import { loadKnownDifferences } from './known-differences.js';

await writeFidelityDoc(await loadKnownDifferences());
console.log('docs/fidelity.md: the parity known-differences section is up to date');
