--[[
baocao.lua: turns the report source's two markers into layout for the target writer.

  ::: {.signature} :::   where the "Nơi nhận" + signature block goes
  ::: {.appendix label=... title=... subtitle=... attached=...} :::   the landscape appendix

For docx the markers become paragraphs in named styles that the python-docx post-processor
(baocao/render/docx_layout.py) replaces or uses as anchors; for typst they become calls of the
functions defined in bao-cao.typ. Tables get bold, centred header cells and bold group rows
(a single cell spanning every column) in both formats. In Typst, "..." stays three dots.
]]

local APPENDIX_FIELDS = { "label", "title", "subtitle", "attached" }
local DOCX_APPENDIX_STYLES = {
  label = "Appendix Label",
  title = "Appendix Title",
  subtitle = "Appendix Subtitle",
  attached = "Appendix Attached",
}

local function embolden(blocks)
  return pandoc.Blocks(blocks):walk({
    Plain = function(b) return pandoc.Plain({ pandoc.Strong(b.content) }) end,
    Para = function(b) return pandoc.Para({ pandoc.Strong(b.content) }) end,
  })
end

local function typst_string(s)
  return '"' .. s:gsub("\\", "\\\\"):gsub('"', '\\"') .. '"'
end

function Table(tbl)
  local ncols = #tbl.colspecs
  for _, row in ipairs(tbl.head.rows) do
    for _, cell in ipairs(row.cells) do
      cell.contents = embolden(cell.contents)
      cell.alignment = "AlignCenter"
    end
  end
  for _, body in ipairs(tbl.bodies) do
    for _, row in ipairs(body.body) do
      if #row.cells == 1 and row.cells[1].col_span == ncols then
        row.cells[1].contents = embolden(row.cells[1].contents)
        row.cells[1].alignment = "AlignLeft"
      end
    end
  end
  return tbl
end

local function signature(div)
  if FORMAT == "typst" then
    return pandoc.RawBlock("typst", "#baocao-signature()")
  end
  return pandoc.Div({ pandoc.Para({ pandoc.Str("[signature]") }) }, { ["custom-style"] = "Signature Marker" })
end

local function appendix(div)
  local blocks = pandoc.Blocks({})
  if FORMAT == "typst" then
    local args = {}
    for _, key in ipairs(APPENDIX_FIELDS) do
      table.insert(args, key .. ": " .. typst_string(div.attributes[key] or ""))
    end
    blocks:insert(pandoc.RawBlock("typst", "#set page(flipped: true, margin: nd30.landscape-margin)"))
    blocks:insert(pandoc.RawBlock("typst", "#baocao-appendix-heading(" .. table.concat(args, ", ") .. ")"))
  else
    for _, key in ipairs(APPENDIX_FIELDS) do
      local text = div.attributes[key]
      if text and text ~= "" then
        blocks:insert(pandoc.Div({ pandoc.Para(pandoc.Inlines(text)) },
          { ["custom-style"] = DOCX_APPENDIX_STYLES[key] }))
      end
    end
  end
  blocks:extend(div.content)
  return blocks
end

function Div(div)
  if div.classes:includes("signature") then
    return signature(div)
  elseif div.classes:includes("appendix") then
    return appendix(div)
  end
end

-- The ND30 title block is built from the metadata by the post-processor (docx) or the template
-- (typst); pandoc's own title/author/date block must not appear as well.
local function drop_title_block(meta)
  if FORMAT == "docx" then
    meta.title, meta.author, meta.date, meta.subtitle = nil, nil, nil, nil
    return meta
  end
end

-- Typst reads "..." in text as its shorthand for "…": three dots typed in data stay three dots.
local function literal_dots(str)
  if FORMAT ~= "typst" or not str.text:find("...", 1, true) then
    return nil
  end
  local parts, rest = {}, str.text
  local at = rest:find("...", 1, true)
  while at do
    if at > 1 then
      parts[#parts + 1] = pandoc.Str(rest:sub(1, at - 1))
    end
    parts[#parts + 1] = pandoc.RawInline("typst", "\\.\\.\\.")
    rest = rest:sub(at + 3)
    at = rest:find("...", 1, true)
  end
  if #rest > 0 then
    parts[#parts + 1] = pandoc.Str(rest)
  end
  return parts
end

-- Tables must be processed before the appendix Div copies its content.
return {
  { Str = literal_dots },
  { Table = Table },
  { Div = Div, Meta = drop_title_block },
}
