--[[
baocao.lua: turns the report source's two markers into layout for the target writer.

  ::: {.signature} :::   where the "Nơi nhận" + signature block goes
  ::: {.appendix label=... title=... subtitle=... attached=...} :::   the landscape appendix

For docx the markers become paragraphs in named styles that the python-docx post-processor
(baocao/render/docx_layout.py) replaces or uses as anchors (the appendix always opens with an
"Appendix Start" paragraph, whatever its heading lines say); for typst they become calls of the
functions defined in bao-cao.typ. The block before the signature is kept on the signature's page.

Tables get bold, centred header cells and bold group rows (a single cell spanning every column), and
column widths from their content, the same for both writers (see `column_widths`). In Typst, a long
table's last rows are laid out together (a non-repeating footer), so its last page never holds one row.
In Typst, "..." stays three dots. Image widths in per cent are taken of the ND30 text width in both.

Layout figures come from baocao/render/nd30.py as pandoc variables (`nd30_layout_variables`).
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

local function variable(name)
  local value = PANDOC_WRITER_OPTIONS.variables[name]
  if value == nil then
    error("baocao.lua: thiếu biến " .. name .. " (do baocao.render truyền cho pandoc)")
  end
  return tonumber(tostring(value))
end

-- Characters per line of the text width, at the table text size (portrait body, landscape appendix).
local PORTRAIT_CHARS = variable("table-chars")
local LANDSCAPE_CHARS = variable("appendix-table-chars")
local KEEP_ROWS = variable("table-keep-rows")
local TEXT_WIDTH_MM = variable("text-width-mm")

-- The longest piece of `text` that a line cannot break: words, and a document number's parts after
-- "/" or "-" when a letter follows ("1093/", "SNV-", "XDCQ&CTTN"), so that a long number wraps inside
-- its cell; a date ("14/12/2024") stays whole.
local function longest_piece(text)
  local longest = 0
  for word in text:gmatch("%S+") do
    for piece in (word:gsub("([/%-])(%D)", "%1 %2")):gmatch("%S+") do
      longest = math.max(longest, utf8.len(piece) or #piece)
    end
  end
  return longest
end

-- Column widths from content, like a browser's automatic table layout, counted in characters: each
-- column gets at least its longest unbreakable piece and, when the row fits, the length nine in ten
-- of its texts fit in (one long outlier wraps rather than widen the column); otherwise the room left
-- is shared in proportion to how much each column wants. Header cells only set the least width (a
-- heading may take two lines); cells spanning several columns (group rows, two-level headers) size
-- no column.
local MIN_CHARS = 4  -- "STT" in bold capitals is about four characters of text wide
local function column_widths(tbl, chars)
  local ncols = #tbl.colspecs
  local least, lengths, most = {}, {}, {}
  for c = 1, ncols do least[c], lengths[c] = MIN_CHARS, {} end
  local function measure(row, header)
    local col = 1
    for _, cell in ipairs(row.cells) do
      if cell.col_span == 1 then
        local text = pandoc.utils.stringify(cell.contents)
        least[col] = math.max(least[col], longest_piece(text))
        if not header and text ~= "" then
          table.insert(lengths[col], utf8.len(text) or #text)
        end
      end
      col = col + cell.col_span
    end
  end
  for _, row in ipairs(tbl.head.rows) do measure(row, true) end
  for _, body in ipairs(tbl.bodies) do
    for _, row in ipairs(body.body) do measure(row, false) end
  end
  for c = 1, ncols do
    table.sort(lengths[c])
    most[c] = math.max(least[c], lengths[c][math.ceil(#lengths[c] * 0.9)] or 0)
  end
  local PADDING = 2  -- a cell's padding takes about a character on either side
  local room = chars - PADDING * ncols
  local sum_least, sum_most = 0, 0
  for c = 1, ncols do sum_least, sum_most = sum_least + least[c], sum_most + most[c] end
  local widths = {}
  for c = 1, ncols do
    if sum_most <= room then
      widths[c] = most[c]
    elseif sum_least >= room then
      widths[c] = least[c]
    else
      widths[c] = least[c] + (most[c] - least[c]) * (room - sum_least) / (sum_most - sum_least)
    end
  end
  local total = 0
  for c = 1, ncols do total = total + widths[c] + PADDING end
  local colspecs = {}
  for c, spec in ipairs(tbl.colspecs) do
    colspecs[c] = { spec[1], (widths[c] + PADDING) / total }
  end
  tbl.colspecs = colspecs
end

-- Typst: the last rows of a long table become a footer printed once, which Typst never splits.
local function keep_last_rows(tbl)
  local rows = tbl.bodies[#tbl.bodies].body
  if FORMAT ~= "typst" or #tbl.foot.rows > 0 or #rows < 3 * KEEP_ROWS then
    return
  end
  local last = {}
  for i = #rows - KEEP_ROWS + 1, #rows do
    table.insert(last, rows[i])
  end
  for _ = 1, KEEP_ROWS do
    table.remove(rows)
  end
  tbl.bodies[#tbl.bodies].body = rows
  tbl.foot.rows = last
end

local function format_table(tbl, chars)
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
  column_widths(tbl, chars)
  keep_last_rows(tbl)
  return tbl
end

-- Percent widths of images are taken of the ND30 text width (pandoc's docx writer would take them of
-- its own default page), so a chart prints at the same size in both documents.
local function Image(img)
  local width = img.attributes.width
  if FORMAT == "docx" and width and width:match("^[%d.]+%%$") then
    img.attributes.width = string.format("%.1fmm", tonumber(width:sub(1, -2)) / 100 * TEXT_WIDTH_MM)
    return img
  end
end

local function signature(div)
  if FORMAT == "typst" then
    return pandoc.RawBlock("typst", "#baocao-signature()")
  end
  return pandoc.Div({ pandoc.Para({ pandoc.Str("[signature]") }) }, { ["custom-style"] = "Signature Marker" })
end

local function appendix(div)
  local blocks = pandoc.Blocks({})
  div.content = div.content:walk({ Table = function(tbl) return format_table(tbl, LANDSCAPE_CHARS) end })
  if FORMAT == "typst" then
    local args = {}
    for _, key in ipairs(APPENDIX_FIELDS) do
      table.insert(args, key .. ": " .. typst_string(div.attributes[key] or ""))
    end
    blocks:insert(pandoc.RawBlock("typst", "#set page(flipped: true, margin: nd30.landscape-margin)"))
    blocks:insert(pandoc.RawBlock("typst", "#baocao-appendix-heading(" .. table.concat(args, ", ") .. ")"))
  else
    blocks:insert(pandoc.Div({ pandoc.Para({ pandoc.Str("[appendix]") }) }, { ["custom-style"] = "Appendix Start" }))
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

-- An item title the analysts wrote as a paragraph of its own ("b) Kết quả công tác kiểm tra, …", no
-- final full stop) is a heading to the reader: it is kept with the paragraph that follows.
local ITEM_LABEL = "^[a-z]%)$"
local ITEM_LABEL_DD = "^\u{111}%)$"  -- "đ)", the letter after d in the Vietnamese order

local function is_item_title(block)
  if block.t ~= "Para" or #block.content < 3 or block.content[1].t ~= "Str" then
    return false
  end
  local label = block.content[1].text
  if not (label:match(ITEM_LABEL) or label:match(ITEM_LABEL_DD)) then
    return false
  end
  local text = pandoc.utils.stringify(block)
  return not text:match("[%.:;!?]$")
end

local function keep_item_titles(blocks)
  local changed = false
  for i = #blocks - 1, 1, -1 do
    if is_item_title(blocks[i]) then
      changed = true
      if FORMAT == "typst" then
        blocks:insert(i + 1, pandoc.RawBlock("typst", "]"))
        blocks:insert(i, pandoc.RawBlock("typst", "#block(sticky: true, breakable: false)["))
      else
        blocks[i] = pandoc.Div({ blocks[i] }, { ["custom-style"] = "Item Title" })
      end
    end
  end
  return changed and blocks or nil
end

-- Typst: the block before the signature sticks to it, so the signature never stands alone on a page
-- (the DOCX post-processor sets "keep with next" on it).
local function signature_keeps_company(blocks)
  if FORMAT ~= "typst" then
    return nil
  end
  for i, block in ipairs(blocks) do
    if i > 1 and block.t == "Div" and block.classes:includes("signature") then
      blocks:insert(i, pandoc.RawBlock("typst", "]"))
      blocks:insert(i - 1, pandoc.RawBlock("typst", "#block(sticky: true)["))
      return blocks
    end
  end
end

-- Body tables are sized first for the portrait page; the appendix resizes its own for landscape
-- (top-down, so a table inside the appendix is not sized twice).
local function size_tables(doc)
  doc.blocks = doc.blocks:walk({
    traverse = "topdown",
    Div = function(div)
      if div.classes:includes("appendix") then
        return div, false
      end
    end,
    Table = function(tbl) return format_table(tbl, PORTRAIT_CHARS), false end,
  })
  return doc
end

return {
  { Str = literal_dots, Image = Image },
  { Pandoc = size_tables },
  { Blocks = keep_item_titles },
  { Blocks = signature_keeps_company },
  { Div = Div, Meta = drop_title_block },
}
