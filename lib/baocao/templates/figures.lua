--[[
figures.lua: hands the report's own charts to pandoc, which runs with --sandbox.

In the sandbox pandoc reads no file but those named on its command line, so a prose file (or anything else in
the source) can neither embed a file of the computer nor fetch a URL. The charts baocao draws, and only they
(`figures/<name>.png` beside the source), are read here and put in pandoc's media bag for the docx writer.
]]

function Image(img)
  if img.src:match("^figures/[%w%-]+%.png$") then
    local file = io.open(img.src, "rb")
    if file then
      pandoc.mediabag.insert(img.src, "image/png", file:read("a"))
      file:close()
    end
  end
end
