#!/bin/sh
# Draws Kura's icon (蔵 under a storehouse roof, indigo and gold) and writes every size Tauri
# bundles need. Needs ImageMagick, fonts-noto-cjk and python3. Run from anywhere.
set -eu
cd "$(dirname "$0")"
convert -size 1024x1024 xc:none \
  -fill '#1d2b4f' -draw 'roundrectangle 72,72 952,952 190,190' \
  -fill '#c9a45c' -draw 'polygon 170,300 512,150 854,300 800,330 512,205 224,330' \
  -fill '#f4ecd8' -font Noto-Serif-CJK-JP-Bold -pointsize 500 -gravity center -annotate +0+75 '蔵' \
  -depth 8 -define png:color-type=6 icon.png
for s in 32 64 128 256 512; do
  convert icon.png -resize ${s}x${s} -depth 8 -define png:color-type=6 "tmp-$s.png"
done
# Plain sizes only: Tauri installs an "@2x" file into hicolor/<2*size>x<2*size>@2, a folder no
# icon theme has, so the desktop would never find it.
for s in 32 64 128 256 512; do cp "tmp-$s.png" "${s}x${s}.png"; done
convert icon.png -define icon:auto-resize=256,128,64,48,32,16 icon.ico
# ICNS is a header and typed PNG entries (ic07..ic10 = 128..1024 px); ImageMagick cannot write it.
python3 - <<'PY'
import struct
entries = b""
for kind, path in ((b"ic07", "tmp-128.png"), (b"ic08", "tmp-256.png"), (b"ic09", "tmp-512.png"), (b"ic10", "icon.png")):
    data = open(path, "rb").read()
    entries += kind + struct.pack(">I", len(data) + 8) + data
open("icon.icns", "wb").write(b"icns" + struct.pack(">I", len(entries) + 8) + entries)
PY
rm -f tmp-*.png
