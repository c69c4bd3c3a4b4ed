// Streamed runs on the OpenAI Agents SDK, required as CommonJS.
import type { AgentsCoreModule } from './support/openai';
import { describeStreamedWorkflow } from './support/openai-stream-suite';

describeStreamedWorkflow('required, 0.20', async (h) => h.require<AgentsCoreModule>('@openai/agents-core'));
