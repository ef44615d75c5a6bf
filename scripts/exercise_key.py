"""The answer key of the notebooks' exercises (for instructors: this file holds the answers).

``scripts/make_exercises.py`` turns it into ``helpers/data/exercises.csv``, which
holds only fingerprints of the answers (see ``helpers/exercises.py``), and the
tests check the two agree and that every check passes the right answer and
fails the typical wrong ones with their hints.

Each exercise: ``correct``, the message for a right answer (it explains, it
does not repeat the answer), and its ``parts``, each with the ``right``
answers, ``decimals`` for a number (compared at that many decimals, one unit
of tolerance), a general ``hint`` and hints for typical ``wrong`` answers.
Hints guide; none prints solution code.

Exercises that ask for code, or whose answer depends on the folders a run is
given (notebook 06), are checked by what the answer does: see
``helpers.exercises.PROPERTY_CHECKS``. Interpretation exercises have no check:
the instructor guide has their rubrics.
"""

from __future__ import annotations

KEY: dict[str, dict] = {
    # ---------------------------------------------------------------- 01 Reading
    "01.1": {
        "correct": "correct: the longest text is the legal-affairs office's summary, and one report "
        "is in Traditional script: notebook 02 converts it",
        "parts": {
            "longest_id": {
                "right": ["zhenjiang-2013"],
                "hint": "not yet: sort the table by its 'chars' column and read the id at the end "
                "with the most characters",
                "wrong": {
                    "jiaojiang-2023": "not yet: that is the shortest report; take the other end of "
                    "the sorted table",
                    "taicang-2019": "not yet: that is the first row as the table was loaded, not the "
                    "longest; sort first",
                    "huinong-2018": "not yet: compare the 'chars' column, not the bytes or the order",
                },
            },
            "n_traditional": {
                "right": [1],
                "hint": "not yet: count the rows whose 'script' column says the report is in "
                "Traditional characters",
                "wrong": {
                    "4": "not yet: that counts the Simplified ones",
                    "0": "not yet: compare with the exact word the 'script' column uses",
                    "True": "not yet: the answer is a number of reports, not True or False",
                    "5": "not yet: that is every report; keep only the Traditional ones",
                },
            },
        },
    },
    "01.2": {
        "correct": "correct: the metadata bar and the row of page controls belong to the web page, "
        "the numbered heading and item to the report",
        "parts": {
            "furniture": {
                "right": [{1, 3}],
                "hint": "not yet: page furniture is what the web page adds (bars, buttons); a "
                "report's own headings and items are text",
                "wrong": {
                    "{1}": "not yet: one more line is made of page controls, not report text",
                    "{3}": "not yet: one more line is a bar of page facts (dates, sources, counters)",
                    "{1,3,4}": "not yet: a numbered item is part of the report, even when it is short",
                    "{1,2,3}": "not yet: a numbered heading is the report's own structure",
                    "{1,2,3,4}": "not yet: only two of the four lines come from the web page",
                    "{}": "not yet: at least one of these lines is not report text",
                },
            },
        },
    },
    "01.3": {
        "correct": "correct: three years; the fourth match of the pattern counts households",
        "parts": {
            "tianning_years": {
                "right": [["2021", "2024", "2025"]],
                "hint": "not yet: keep each year once, as strings, sorted, and only real years",
                "wrong": {
                    '["2021","2024","2025","2069"]': "not yet: one of these numbers is not a year; "
                    "read it in its sentence",
                    "[2021,2024,2025]": "not yet: the pattern's matches are strings; keep them as "
                    "strings",
                    '["2024","2021","2025"]': "not yet: sort the years",
                    '["2021","2021","2024","2025"]': "not yet: keep each year once",
                },
            },
        },
    },
    # --------------------------------------------------------------- 02 Cleaning
    "02.2": {
        "correct": "correct: four list items lost their 、, so the outline of notebook 02 misses "
        "them; a cleaning step that guessed them back could be wrong elsewhere",
        "parts": {
            "lost_marks": {
                "right": [["3", "4", "5", "8"]],
                "hint": "not yet: find a single digit at the start of a line, directly followed by a "
                "Chinese character, in order of appearance",
                "wrong": {
                    "[3,4,5,8]": "not yet: re.findall returns strings; keep them as strings",
                    '["3","4","5"]': "not yet: one more item lost its mark further down the list",
                    '["1","2","3","4","5","6","7","8"]': "not yet: items that kept their 、 are not "
                    "part of the answer",
                    "[]": "not yet: the pattern found nothing; (?m) makes ^ match at every line start",
                },
            },
        },
    },
    "02.3": {
        "correct": "correct: a length rule cannot tell a page button from a heading, a signature or "
        "a date: it deletes report text",
        "parts": {
            "short_lines": {
                "right": [8],
                "hint": "not yet: count, over the five cleaned reports, the lines strictly shorter "
                "than 12 characters",
                "wrong": {
                    "0": "not yet: split each cleaned text into lines before you measure them",
                    "9": "not yet: strictly shorter than 12 characters",
                },
            },
            "mistake": {
                "right": ["b"],
                "hint": "not yet: read the lines the rule would delete, then choose a, b or c",
                "wrong": {
                    "a": "not yet: the furniture is already gone, so every line it deletes is "
                    "report text; read them",
                    "c": "not yet: read the lines it deletes: are they numbers?",
                },
            },
        },
    },
    # --------------------------------------------------------- 03 Term frequency
    "03.2": {
        "correct": "correct: the report was anonymised; XX stands for the district's name, "
        "which makes XX a frequent 'word' of the report",
        "parts": {
            "xx_count": {
                "right": [15],
                "hint": "not yet: helpers.kwic gives one row per occurrence of the token",
                "wrong": {
                    "0": "not yet: kwic matches whole tokens; search the huinong-2018 report",
                    "1": "not yet: count the rows kwic returns, one per occurrence",
                },
            },
            "xx_meaning": {
                # The Chinese edition offers the same three meanings in Chinese.
                "right": ["a masked place name", "被隐去的地名"],
                "hint": "not yet: choose one of the three meanings given, after reading the contexts",
                "wrong": {
                    "a firm": "not yet: read what follows XX: 区, 支行, 人大常委会 …",
                    "a number": "not yet: read what follows XX: 区, 支行, 人大常委会 …",
                    "一家企业": "not yet: read what follows XX: 区, 支行, 人大常委会 …",
                    "一个数字": "not yet: read what follows XX: 区, 支行, 人大常委会 …",
                },
            },
        },
    },
    "03.3": {
        "correct": "correct: full mode lists every dictionary word it finds, overlapping ones "
        "included, so one character is counted in several words",
        "parts": {
            "extra_tokens": {
                "right": [5],
                "hint": "not yet: count the tokens of the same sentence in both modes and subtract",
                "wrong": {
                    "-5": "not yet: full mode gives more tokens; subtract the other way round",
                    "0": "not yet: pass cut_all=True for full mode",
                },
            },
            "mistake": {
                "right": ["b"],
                "hint": "not yet: compare the two token lists, then choose a, b or c",
                "wrong": {
                    "a": "not yet: look at the extra tokens: are they new words, or pieces of words "
                    "already there?",
                    "c": "not yet: speed is not what changes the counts",
                },
            },
        },
    },
    "03.4": {
        "correct": "correct: some carry meaning (city, town, province, the Party), others are pieces "
        "the segmenter cut off longer words: read them before you drop them",
        "parts": {
            "lost": {
                "right": [["市", "新", "率", "全", "达", "化", "镇", "办", "省", "党", "室"]],
                "hint": "not yet: keep the table's order, the 300 most frequent terms, one character "
                "long, and not in the stopword list",
                "wrong": {
                    '["市","新","率","全","达","化","镇","办","省","党","室","的"]': "not yet: leave "
                    "out the words the stopword list already removes",
                    '["党","全","办","化","室","市","新","率","省","达","镇"]': "not yet: keep the "
                    "table's order, most frequent first",
                    "[]": "not yet: the table's terms are in its 'term' column; take the first 300",
                },
            },
        },
    },
    # ----------------------------------------------------- 04 Cross-report comparison
    "04.1": {
        "correct": "correct: tf times the smoothed idf, before the row is divided by its length",
        "parts": {
            "weight": {
                "right": [13.545],
                "decimals": 3,
                "hint": "not yet: tf is the count in the Tianning row, df the number of reports "
                "using the term, n = 5; idf = ln((1 + n) / (1 + df)) + 1",
                "wrong": {
                    "8.000": "not yet: that is tf alone; multiply it by idf",
                    "1.693": "not yet: that is idf alone; multiply it by tf",
                    "10.408": "not yet: the formula uses the natural logarithm (math.log)",
                    "15.330": "not yet: that is the unsmoothed idf; the formula adds 1 to n and to df",
                },
            },
        },
    },
    "04.2": {
        "correct": "correct: the district's own framing of the work; and the next terms (全年 'the "
        "whole year', 更进一步) show why a keyness list must be read, not reported",
        "parts": {
            "jiaojiang_term": {
                "right": ["法治建设"],
                "hint": "not yet: over-used terms, G² above 10.83, without the place names of section "
                "3, highest G² first",
                "wrong": {
                    "椒江区": "not yet: a place name; drop the places as section 3 does",
                    "椒江": "not yet: a place name; drop the places as section 3 does",
                    "浙江省": "not yet: a place name; drop the places as section 3 does",
                    "全年": "not yet: that is the second; which term has the highest G²?",
                },
            },
        },
    },
    "04.3": {
        "correct": "correct: Jiaojiang's report is half as long, so per 10,000 words it mentions 执法 "
        "a little more often than Zhenjiang; the raw counts ranked them the wrong way round",
        "parts": {
            "lowest": {
                "right": ["zhenjiang-2013"],
                "hint": "not yet: divide each report's count by its number of words, times 10,000, "
                "and take the smallest",
                "wrong": {
                    "jiaojiang-2023": "not yet: that is the raw-count ranking, the student's "
                    "mistake; divide by length first",
                    "huinong-2018": "not yet: that report has the highest rate; take the lowest",
                },
            },
            "mistake": {
                "right": ["b"],
                "hint": "not yet: compare your rates with the student's counts, then choose a, b or c",
                "wrong": {
                    "a": "not yet: the student counted the right word; what did they compare it with?",
                    "c": "not yet: the report is the right one; what makes its count small?",
                },
            },
        },
    },
    "04.4": {
        "correct": "correct: the arithmetic holds, but the denominator counts suits withdrawn before "
        "a hearing and suits still pending: compare such rates only with the same definition",
        "parts": {
            "huinong_rate": {
                "right": [40.7],
                "decimals": 1,
                "hint": "not yet: appearances divided by lawsuits, as a percentage, one decimal",
                "wrong": {
                    "0.4": "not yet: as a percentage: multiply by 100",
                    "245.5": "not yet: lawsuits go below the line, appearances above it",
                },
            },
            "denominator": {
                "right": ["b"],
                "hint": "not yet: read the sentence's list of what the 27 cases became, then choose "
                "a or b",
                "wrong": {
                    "a": "not yet: read the sentence again: some of the 27 never came before a judge",
                },
            },
        },
    },
    # ----------------------------------------------------------- 05 Your own reports
    "05.1": {
        "correct": "correct: it would unpack to far more than its size on disk, a possible zip bomb, "
        "so it is refused before it is opened",
        "parts": {
            "refused_as_unsafe": {
                "right": ["oversized-archive.docx"],
                "hint": "not yet: read the reason column of the problems table for a file refused "
                "as unsafe",
                "wrong": {
                    "not-really-word.docx": "not yet: that file is refused as broken, not as unsafe; "
                    "read its reason",
                    "scanned-report.pdf": "not yet: that file has no text to read; it is not "
                    "dangerous to open",
                    "statistics.xlsx": "not yet: that file is refused for its format, not as unsafe",
                    "empty-report.txt": "not yet: an empty file is refused, but it is not dangerous",
                },
            },
        },
    },
    "05.2": {
        "correct": "correct: the arithmetic holds; now check the denominator's definition, as in "
        "notebook 04",
        "parts": {
            "yangben_rate": {
                "right": [13.3],
                "decimals": 1,
                "hint": "not yet: lawsuits lost divided by lawsuits, as a percentage, one decimal",
                "wrong": {
                    "0.1": "not yet: as a percentage: multiply by 100",
                    "750.0": "not yet: lawsuits go below the line, losses above it",
                    "86.7": "not yet: that is the share of suits not lost; take the losses",
                },
            },
        },
    },
    "05.3": {
        "correct": "correct: in Python's re, Chinese characters are word characters, so there is no "
        "boundary between two of them: count tokens after segmenting instead",
        "parts": {
            "boundary_matches": {
                "right": [0],
                "hint": "not yet: count the matches of the pattern in the cleaned Shili sample",
                "wrong": {
                    "1": "not yet: that is the token count; count the pattern's matches",
                    "3": "not yet: that counts the characters 执法 anywhere; use the pattern with \\b",
                },
            },
            "mistake": {
                "right": ["c"],
                "hint": "not yet: compare the count with the whole-token count, then choose a, b or c",
                "wrong": {
                    "a": "not yet: 执法 is in the text; look at the token count",
                    "b": "not yet: the pattern is not too wide; it finds nothing at all",
                },
            },
        },
    },
}
