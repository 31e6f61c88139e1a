local cases = {
  loop = function() while true do end end,
  pcall_loop = function() pcall(function() while true do end end) end,
  coroutine_loop = function() coroutine.wrap(function() while true do end end)() end,
  callback_loop = function()
    llm.chat_async("x [delay=10]", function() while true do end end)
    async.wait_all()
  end,
  recursion = function() local function f() return 1 + f() end return f() end,
  doubling = function() local s = "x" while true do s = s .. s end end,
  rep = function() return string.rep("x", 2^31) end,
  rep_overflow = function() return ("ab"):rep(2^62, ",") end,
  big_strings = function()
    local t, s = {}, ("x"):rep(500000)
    for i = 1, 1e6 do t[i] = s .. i end
  end,
  tables = function() local t, i = {}, 0 while true do i = i + 1 t[i] = { i, {} } end end,
  pattern = function() local s = ("a"):rep(100000) return string.find(s, ".-.-.-.-.-.-.-.-b") end,
  coroutines = function()
    for i = 1, 10000 do
      local co = coroutine.create(function() coroutine.yield() end)
      coroutine.resume(co)
    end
  end,
  flood = function() for i = 1, 100000 do llm.chat_async("q", function() end) end end,
  print_loop = function() while true do print(("spam "):rep(20)) end end,
  sleep = function() sleep(1e9) end,
  coroutines_waiting = function()
    for i = 1, 20 do
      promise.new(function() while true do coroutine.yield() end end)
    end
    print("waiting")
    while true do async.process_callbacks(0.05) end
  end,
}
return cases[params.case]()
