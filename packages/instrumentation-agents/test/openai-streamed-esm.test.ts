// Streamed runs through the SDK's ES module build.
import type { AgentsCoreModule } from './support/openai';
import { describeStreamedWorkflow } from './support/openai-stream-suite';

describeStreamedWorkflow('imported (ESM), 0.20', (h) => h.import<AgentsCoreModule>('@openai/agents-core'));
