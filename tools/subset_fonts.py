"""Make the self-hosted IBM Plex Sans Arabic files smaller: keep only the characters we show.

The fontsource package (npm `@fontsource/ibm-plex-sans-arabic`) ships an "arabic" and a
"latin" file per weight; they also cover Persian, Urdu, presentation forms and more, which
the log-in page's 100 KB budget cannot afford. Needs fonttools and brotli:

    npm pack @fontsource/ibm-plex-sans-arabic && tar xzf fontsource-ibm-plex-sans-arabic-*.tgz
    pip install fonttools brotli
    python tools/subset_fonts.py package/files static/fonts

The unicode ranges here must match those in static/css/mumaris.css.
"""

import subprocess
import sys
from pathlib import Path

ARABIC = "U+0020,U+00A0,U+0600-06FF,U+200C-200F,U+2010-2015,U+2018-201F,U+2026,U+2066-2069"
LATIN = "U+0020-007E,U+00A0-00FF,U+2010-2027,U+2030-203A,U+20AC,U+2122"


def main():
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    for subset, unicodes in (("arabic", ARABIC), ("latin", LATIN)):
        for weight in (400, 700):
            name = f"ibm-plex-sans-arabic-{subset}-{weight}-normal.woff2"
            subprocess.run(
                [
                    "pyftsubset",
                    str(source / name),
                    f"--unicodes={unicodes}",
                    "--layout-features=*",
                    "--flavor=woff2",
                    f"--output-file={target / name}",
                ],
                check=True,
            )


if __name__ == "__main__":
    main()
