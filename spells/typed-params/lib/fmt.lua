-- Renders any parameter value as one line, tables included, in a stable order.
local M = {}

function M.show(v)
  if type(v) ~= "table" then
    return tostring(v)
  end
  local keys = {}
  for k in pairs(v) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
  local parts = {}
  for _, k in ipairs(keys) do
    if type(k) == "number" then
      parts[#parts + 1] = M.show(v[k])
    else
      parts[#parts + 1] = tostring(k) .. "=" .. M.show(v[k])
    end
  end
  return "{" .. table.concat(parts, ", ") .. "}"
end

return M
