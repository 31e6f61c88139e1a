local fmt = require("fmt")

local order = { "count", "ratio", "shout", "mode", "tags", "meta" }
for _, k in ipairs(order) do
  local v = params[k]
  print(k, fmt.show(v), type(v))
end

local mode = params.mode
if params.shout then mode = string.upper(mode) end

return {
  count = params.count,
  ratio = params.ratio,
  shout = params.shout,
  mode = mode,
  tags = params.tags,
  meta = params.meta,
}
