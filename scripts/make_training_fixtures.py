"""Write tests/fixtures/data: tiny synthetic data sets in the shapes of EPITOME, GoEmotions and
TweetEval, in our own words, so the training code is tested without the real data sets.

Run from the repository root:  python scripts/make_training_fixtures.py
"""

from __future__ import annotations

import csv
import pathlib
import random

ROOT = pathlib.Path("tests/fixtures/data")
SEEKERS = [
    "I lost my job today and I don't know how to tell my family.",
    "My cat died last week and the house feels empty.",
    "I can't sleep before exams, my mind keeps racing.",
    "Nobody replied to my messages all weekend.",
    "I failed my driving test for the third time.",
    "My best friend moved away and I feel so alone.",
    "Work has been overwhelming and I keep making mistakes.",
    "I had a panic attack on the bus this morning.",
]
# (response, er, ip, ex, er rationale, ip rationale, ex rationale)
RESPONSES = [
    (
        "I'm so sorry, that sounds really painful.",
        2,
        0,
        0,
        "I'm so sorry, that sounds really painful.",
        "",
        "",
    ),
    (
        "That must be hard. I went through the same thing last year and it got easier.",
        1,
        2,
        0,
        "That must be hard.",
        "I went through the same thing last year and it got easier.",
        "",
    ),
    ("What happened when you told them?", 0, 0, 2, "", "", "What happened when you told them?"),
    (
        "Have you tried talking to someone about it?",
        0,
        0,
        1,
        "",
        "",
        "Have you tried talking to someone about it?",
    ),
    (
        "Sending hugs. How are you holding up today?",
        1,
        0,
        2,
        "Sending hugs.",
        "",
        "How are you holding up today?",
    ),
    (
        "It sounds like you feel stuck and tired of trying.",
        0,
        2,
        0,
        "",
        "It sounds like you feel stuck and tired of trying.",
        "",
    ),
    ("Just exercise more.", 0, 0, 0, "", "", ""),
    ("I understand how you feel.", 0, 1, 0, "", "I understand how you feel.", ""),
    (
        "That's awful, I'm sorry. When did it start?",
        1,
        0,
        2,
        "That's awful, I'm sorry.",
        "",
        "When did it start?",
    ),
    ("lol same", 0, 0, 0, "", "", ""),
]
FIELDS = [
    "sp_id",
    "rp_id",
    "seeker_post",
    "response_post",
    "er_level",
    "er_rationales",
    "ip_level",
    "ip_rationales",
    "ex_level",
    "ex_rationales",
]
NAMES = (  # the GoEmotions label list, as its emotions.txt spells it
    "admiration amusement anger annoyance approval caring confusion curiosity desire disappointment "
    "disapproval disgust embarrassment excitement fear gratitude grief joy love nervousness optimism "
    "pride realization relief remorse sadness surprise neutral"
).split()
TEXTS = {
    "anger": [
        "This is absolutely ridiculous, I want my money back",
        "I'm furious, nobody answers",
        "What a useless service",
    ],
    "fear": [
        "I'm scared my account was hacked",
        "I'm worried the payment won't go through",
        "This makes me so nervous",
    ],
    "sadness": [
        "I'm really disappointed with the order",
        "So sad the gift arrived broken",
        "Honestly let down",
    ],
    "confusion": [
        "I don't understand how this works?",
        "Which button do I press, I'm confused",
        "Wait, what does this mean?",
    ],
    "gratitude": [
        "Thank you so much, you saved my day",
        "Thanks, that was really helpful",
        "Great, thanks a lot!",
    ],
    "neutral": [
        "My order number is 1234",
        "I changed my address last week",
        "The app is version 3",
    ],
}


def _rationale(text: str) -> str:
    return text + "|" if text else ""


def main() -> None:
    rng = random.Random(7)
    (ROOT / "epitome").mkdir(parents=True, exist_ok=True)
    for split, n in (("train", 60), ("dev", 20)):
        with open(ROOT / "epitome" / f"{split}.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(FIELDS)
            for i in range(n):
                text, er, ip, ex, er_r, ip_r, ex_r = RESPONSES[i % len(RESPONSES)]
                writer.writerow(
                    [
                        f"{split}s{i}",
                        f"{split}r{i}",
                        rng.choice(SEEKERS),
                        text,
                        er,
                        _rationale(er_r),
                        ip,
                        _rationale(ip_r),
                        ex,
                        _rationale(ex_r),
                    ]
                )
    (ROOT / "goemotions").mkdir(exist_ok=True)
    (ROOT / "goemotions" / "emotions.txt").write_text("\n".join(NAMES) + "\n", encoding="utf-8")
    for split, n in (("train", 90), ("dev", 30)):
        with open(ROOT / "goemotions" / f"{split}.tsv", "w", encoding="utf-8") as handle:
            for i in range(n):
                label = list(TEXTS)[i % len(TEXTS)]
                handle.write(
                    f"{rng.choice(TEXTS[label])} #{i}\t{NAMES.index(label)}\tid{split}{i}\n"
                )
    tweeteval = ROOT / "tweeteval" / "emotion"
    tweeteval.mkdir(parents=True, exist_ok=True)
    (tweeteval / "mapping.txt").write_text(
        "0\tanger\n1\tjoy\n2\toptimism\n3\tsadness\n", encoding="utf-8"
    )
    tweets = {
        0: TEXTS["anger"],
        1: TEXTS["gratitude"],
        2: ["Tomorrow will be better", "Hoping it works out"],
        3: TEXTS["sadness"],
    }
    for split, n in (("train", 24), ("val", 12)):
        lines = [(i % 4, rng.choice(tweets[i % 4])) for i in range(n)]
        (tweeteval / f"{split}_text.txt").write_text(
            "\n".join(f"{t} @user" for _, t in lines) + "\n", encoding="utf-8"
        )
        (tweeteval / f"{split}_labels.txt").write_text(
            "\n".join(str(label) for label, _ in lines) + "\n", encoding="utf-8"
        )


if __name__ == "__main__":
    main()
