// Copies what tsc does not: the Kubernetes .proto files the protobuf codec loads at run time.
import { cpSync, existsSync } from 'node:fs';

const from = 'src/api/codec/proto';
if (existsSync(from)) cpSync(from, 'dist/api/codec/proto', { recursive: true });
