-- Two tools, offered to the model. It decides to call them; the bridge runs each call
-- here, on the spell's thread, sends the results back, and returns the model's answer.
tools.register("calculator", "Adds, subtracts, multiplies or divides two numbers", {
  type = "object",
  properties = {
    op = { type = "string", enum = { "add", "sub", "mul", "div" } },
    a = { type = "number" },
    b = { type = "number" },
  },
  required = { "op", "a", "b" },
}, function(args)
  if args.op == "add" then return args.a + args.b end
  if args.op == "sub" then return args.a - args.b end
  if args.op == "mul" then return args.a * args.b end
  if args.b == 0 then return nil, "division by zero" end
  return args.a / args.b
end)

tools.register("word_count", "Counts the words of a text", {
  type = "object",
  properties = { text = { type = "string" } },
  required = { "text" },
}, function(args)
  local n = 0
  for _ in args.text:gmatch("%S+") do n = n + 1 end
  return { words = n }
end)

-- The JSON object at the end gives the mock provider its arguments (see docs/lua-api.md,
-- "The mock provider"); a real model reads the sentence and ignores it.
local question = string.format(
  'Use the calculator to multiply %s by %s, and word_count to count the words of "%s". '
    .. 'Arguments: {"calculator": {"op": "mul", "a": %s, "b": %s}, "word_count": {"text": "%s"}}',
  params.a, params.b, params.text, params.a, params.b, params.text)

local answer, err = llm.chat(question, { tools = { "calculator", "word_count" } })
if not answer then error("chat with tools failed: " .. err) end
print("chat:", answer)

-- An agent: its own system prompt and tools; agent:run loops over tool calls the same way.
local counter = agents.create{
  name = "counter",
  system_prompt = "You count words. Always use the word_count tool.",
  tools = { "word_count" },
  max_steps = 4,
}
local counted, agent_err = counter:run(string.format(
  'How many words are in "%s"? Use word_count. Arguments: {"text": "%s"}', params.text, params.text))
if not counted then error("agent failed: " .. agent_err) end
print("agent:", counted)

return { answer = answer, agent = counted }
