-- The promise module, with JavaScript semantics ("next" stands for "then", a Lua keyword).
-- Compiled once per JVM and instantiated per run; `loop` gives it the run's event loop.
local loop, llm = ...
-- Captured now, so that a spell replacing a global cannot break promises.
local coroutine, pcall, type, error, ipairs, tostring = coroutine, pcall, type, error, ipairs, tostring
local setmetatable, getmetatable, table, math = setmetatable, getmetatable, table, math

local Promise = {}
Promise.__index = Promise
Promise.__name = "promise"

local unhandled = {}          -- rejected promises nobody has handled (yet)
local unhandled_order = {}
local executors = setmetatable({}, { __mode = "k" })  -- the coroutines of promise executors

local function is_promise(v)
  return type(v) == "table" and getmetatable(v) == Promise
end

local function new_promise()
  return setmetatable({ _state = "pending", _reactions = {} }, Promise)
end

local function settle(p, state, value)
  if p._state ~= "pending" then return end
  p._state, p._value = state, value
  local reactions = p._reactions
  p._reactions = nil
  if state == "rejected" and not p._handled then
    unhandled[p] = true
    unhandled_order[#unhandled_order + 1] = p
  end
  for _, reaction in ipairs(reactions) do
    loop.microtask(function() reaction(state, value) end)
  end
end

local resolve

-- Adds a reaction: now (as a microtask) if settled, else when it settles. Marks p handled.
function Promise:_react(reaction)
  self._handled = true
  unhandled[self] = nil
  if self._state == "pending" then
    self._reactions[#self._reactions + 1] = reaction
  else
    local state, value = self._state, self._value
    loop.microtask(function() reaction(state, value) end)
  end
end

-- The resolution procedure: a promise is adopted, anything else fulfils.
resolve = function(p, value)
  if value == p then
    settle(p, "rejected", "a promise cannot be resolved with itself")
  elseif is_promise(value) then
    value:_react(function(state, v) settle(p, state, v) end)
  else
    settle(p, "fulfilled", value)
  end
end

local function reject(p, reason)
  settle(p, "rejected", reason)
end

local M = {}

function M.new(executor)
  if type(executor) ~= "function" then
    error("bad argument #1 to 'new' (function expected, got " .. type(executor) .. ")", 2)
  end
  local p = new_promise()
  local function res(v) resolve(p, v) end
  local function rej(e) reject(p, e) end
  local co = coroutine.create(function()
    local ok, err = pcall(executor, res, rej)
    if not ok then rej(err) end
  end)
  executors[co] = true
  local ok, err = coroutine.resume(co)
  if not ok then rej(err) end
  if coroutine.status(co) == "suspended" then loop.add_executor(co) end
  return p
end

function M.resolve(value)
  if is_promise(value) then return value end
  local p = new_promise()
  resolve(p, value)
  return p
end

function M.reject(reason)
  local p = new_promise()
  reject(p, reason)
  return p
end

function M.is_promise(value)
  return is_promise(value)
end

function Promise:next(on_ok, on_err)
  local child = new_promise()
  self:_react(function(state, value)
    local handler
    if state == "fulfilled" then handler = on_ok else handler = on_err end
    if type(handler) ~= "function" then
      settle(child, state, value)
      return
    end
    local ok, result = pcall(handler, value)
    if ok then resolve(child, result) else reject(child, result) end
  end)
  return child
end

function Promise:catch(on_err)
  return self:next(nil, on_err)
end

function Promise:finally(fn)
  local function after(settled)
    local r = fn()
    if is_promise(r) then return r:next(settled) end
    return settled()
  end
  return self:next(
    function(v) return after(function() return v end) end,
    function(e) return after(function() return M.reject(e) end) end)
end

function Promise:state()
  return self._state
end

-- Waits until this promise settles: value, or nil and the reason. A promise executor
-- yields to the loop, which resumes it on every tick; anywhere else (the main chunk, a
-- plain coroutine, a callback) the loop runs right here until the promise settles.
function Promise:await(timeout)
  local deadline = timeout and (loop.now() + timeout)
  while self._state == "pending" do
    if executors[coroutine.running()] then
      loop.tick(0)
      if self._state ~= "pending" then break end
      coroutine.yield()
    else
      local wait = 1
      if deadline then
        local left = deadline - loop.now()
        if left <= 0 then return nil, "timeout" end
        wait = math.min(wait, left)
      end
      if loop.pending() == 0 then
        return nil, "deadlock: the promise can never settle (nothing is pending)"
      end
      loop.pass(wait)
    end
  end
  self._handled = true
  unhandled[self] = nil
  if self._state == "fulfilled" then return self._value end
  return nil, self._value
end

local function each(list, name)
  if type(list) ~= "table" then
    error("bad argument #1 to '" .. name .. "' (table expected, got " .. type(list) .. ")", 3)
  end
  return #list
end

function M.all(list)
  local n, p, results = each(list, "all"), new_promise(), {}
  local remaining = n
  if n == 0 then resolve(p, results) end
  for i = 1, n do
    M.resolve(list[i]):_react(function(state, value)
      if state == "fulfilled" then
        results[i] = value
        remaining = remaining - 1
        if remaining == 0 then resolve(p, results) end
      else
        reject(p, value)
      end
    end)
  end
  return p
end

function M.all_settled(list)
  local n, p, results = each(list, "all_settled"), new_promise(), {}
  local remaining = n
  if n == 0 then resolve(p, results) end
  for i = 1, n do
    M.resolve(list[i]):_react(function(state, value)
      if state == "fulfilled" then
        results[i] = { status = "fulfilled", value = value }
      else
        results[i] = { status = "rejected", reason = value }
      end
      remaining = remaining - 1
      if remaining == 0 then resolve(p, results) end
    end)
  end
  return p
end

function M.race(list)
  local n, p = each(list, "race"), new_promise()
  for i = 1, n do
    M.resolve(list[i]):_react(function(state, value) settle(p, state, value) end)
  end
  return p
end

function M.any(list)
  local n, p, errors = each(list, "any"), new_promise(), {}
  local remaining = n
  local function all_failed()
    local parts = {}
    for i = 1, n do parts[i] = tostring(errors[i]) end
    reject(p, "all promises were rejected: " .. table.concat(parts, "; "))
  end
  if n == 0 then all_failed() end
  for i = 1, n do
    M.resolve(list[i]):_react(function(state, value)
      if state == "fulfilled" then
        resolve(p, value)
      else
        errors[i] = value
        remaining = remaining - 1
        if remaining == 0 then all_failed() end
      end
    end)
  end
  return p
end

-- The built-in: a promise settled by llm.chat_async's callbacks, with no coroutine behind it.
function llm.chat_promise(prompt, opts)
  local p = new_promise()
  local id, err = llm.chat_async(prompt,
    function(text) resolve(p, text) end,
    function(e) reject(p, e) end,
    opts)
  if not id then reject(p, err) end
  return p
end

-- promise.async(fn, ...): runs fn(...) in a coroutine (so it may await), a promise of its result.
function M.async(fn, ...)
  if type(fn) ~= "function" then
    error("bad argument #1 to 'async' (function expected, got " .. type(fn) .. ")", 2)
  end
  local args = table.pack(...)
  return M.new(function(res) res(fn(table.unpack(args, 1, args.n))) end)
end

-- promise.await_all(list [, timeout]): the list of values, or nil and the first rejection.
function M.await_all(list, timeout)
  each(list, "await_all")
  return M.all(list):await(timeout)
end

-- The built-in http.fetch(req): a promise settled by http.request_async's callbacks.
local http = select(3, ...)
if http then
  function http.fetch(req)
    local p = new_promise()
    local id, err = http.request_async(req,
      function(response) resolve(p, response) end,
      function(e) reject(p, e) end)
    if not id then reject(p, err) end
    return p
  end
end

-- For the runtime: the reasons of rejections nobody handled, oldest first.
local function unhandled_reasons()
  local reasons = {}
  for _, p in ipairs(unhandled_order) do
    if unhandled[p] then reasons[#reasons + 1] = tostring(p._value) end
  end
  return reasons
end

return M, unhandled_reasons
