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
  big_log_event = function()
    local f = ("x"):rep(8e6)
    log.info("big", { f = f })
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
  -- keeps what it decodes: 8 MB a document (two 4 MB strings), cheap to build, so
  -- that the memory limit, not the clock, is what a busy machine sees first
  decode_keep = function()
    local s = '["' .. ("x"):rep(4e6) .. '","' .. ("y"):rep(4e6) .. '"]'
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
  -- LuaJ's lexer used to loop for ever on this chunk; now a syntax error
  load_z = function()
    local f, err = load("return 'alo \\z")
    return err
  end,
  load_forever = function()
    while true do load("return 'alo \\z") end
  end,
  -- n coroutines alive at once, each holding its thread while suspended
  threads = function()
    local cos = {}
    for i = 1, params.n do
      local co = coroutine.create(function() coroutine.yield() return i end)
      coroutine.resume(co)
      cos[i] = co
    end
    sleep(1)
    local sum = 0
    for i = 1, params.n do
      local _, v = coroutine.resume(cos[i])
      sum = sum + v
    end
    return sum
  end,
  -- fills the shared provider's queue with slow calls
  flood = function()
    for i = 1, 200 do
      llm.chat_async("[delay=1000] flood " .. i, function() end, nil, { provider = "limited" })
    end
    print("flooded")
    async.wait_all()
  end,
  single = function()
    return llm.chat("[delay=100] single", { provider = "limited" })
  end,
  json_round_trip = function()
    local v = json.decode(json.encode({ list = { 1, 2, 3 }, name = "x" }))
    return { v.name, #v.list }
  end,
}
return cases[params.case]()
