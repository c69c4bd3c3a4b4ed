// OpenAI's chat-completions model, both SDK packages imported (ESM).
import { describeChatCompletions, type AgentsOpenAiModule } from './support/chat-completions-suite';
import type { AgentsCoreModule } from './support/openai';

describeChatCompletions('imported (ESM)', async (h) => [await h.import<AgentsCoreModule>('@openai/agents-core'), (await import('@openai/agents-openai')) as AgentsOpenAiModule]);
