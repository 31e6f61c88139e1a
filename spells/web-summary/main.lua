-- Fetch a page, summarise it with the LLM, cache the summary in storage (one key per URL).
local key = "summary:" .. params.url

if not params.refresh then
  local cached = storage.get(key)
  if cached then
    print("cached summary from " .. os.date("!%Y-%m-%d %H:%M:%S", cached.at) .. " UTC")
    return { url = params.url, summary = cached.summary, cached = true }
  end
end

local page, err = http.get(params.url, { timeout = 10 })
if not page then
  error("could not fetch the page: " .. err, 0)
end
if page.status ~= 200 then
  error("the page answered " .. page.status, 0)
end
print("fetched " .. #page.body .. " bytes (" .. tostring(page.headers["content-type"]) .. ")")

-- a crude text extraction: drop scripts, styles and tags, squeeze the blanks
local text = page.body
  :gsub("<script.-</script>", " ")
  :gsub("<style.-</style>", " ")
  :gsub("<[^>]+>", " ")
  :gsub("%s+", " ")
text = text:sub(1, 6000)

local summary, llm_err = llm.chat("Summarise this web page in three sentences:\n\n" .. text,
  { system = "You summarise web pages briefly and factually." })
if not summary then
  error("the LLM failed: " .. llm_err, 0)
end

local ok, store_err = storage.set(key, { summary = summary, at = os.time() }, params.max_age)
if not ok then
  log.warn("summary not cached", { error = store_err })
end
print("summary cached for " .. params.max_age .. " s")
return { url = params.url, summary = summary, cached = false }
