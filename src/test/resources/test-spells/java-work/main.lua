local function shared()
  local t = {1}
  for i = 1, 28 do t = {t, t} end
  return t
end
local function numbers(n)
  local t = {}
  for i = 1, n do t[i] = (i * 7919) % 1000003 end
  return t
end
local cases = {
  shared_encode = function() return json.encode(shared()) end,
  shared_log = function() log.info("shared", shared()) end,
  shared_result = function() return shared() end,
  big_log = function()
    local f = ("x"):rep(8e6)
    for i = 1, 40 do log.info("big", { f = f }) end
  end,
  tostring_huge = function()
    error(setmetatable({}, { __tostring = function() return ("x"):rep(16e6) end }))
  end,
  tostring_loop = function()
    error(setmetatable({}, { __tostring = function() while true do end end }))
  end,
  rep_strings = function()
    local t = {}
    for i = 1, 1e6 do t[i] = ("x"):rep(65535) end
  end,
  decode_loop = function()
    local s = "[" .. ("1,"):rep(7.5e6 - 1) .. "1]"
    local n = 0
    for i = 1, 100 do n = n + #json.decode(s) end
    return n
  end,
  decode_keep = function()
    local s = "[" .. ("1,"):rep(7.5e6 - 1) .. "1]"
    local t = {}
    for i = 1, 100 do t[i] = json.decode(s) end
  end,
  os_date = function() return os.date(string.rep("%c", 4e6)) end,
  sort = function() table.sort(numbers(3e6)) end,
  sort_forever = function()
    local t = numbers(2e5)
    while true do table.sort(t, function(a, b) return a > b end) table.sort(t) end
  end,
  numeric_loop = function()
    local n = 0
    for i = 1, 17000000 do n = i end
    return n
  end,
  json_round_trip = function()
    local v = json.decode(json.encode({ list = { 1, 2, 3 }, name = "x" }))
    return { v.name, #v.list }
  end,
}
return cases[params.case]()
