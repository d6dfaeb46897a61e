"""The offline drafter's phrases, one set per register of the brand voice's tone (see studio.drafting.tone).

Formal phrases use no contractions; none ends with punctuation (the drafter adds it, so the tone decides
where an exclamation mark may go).
"""

from __future__ import annotations

PITCHES = {
    "friendly": (
        "ideas worth saving",
        "easy ideas to try this week",
        "everything you need to get started",
        "a simple way to make it yours",
        "small touches that make a big difference",
    ),
    "playful": (
        "go on, give it a try",
        "your next favourite thing",
        "get ready to hit save",
        "fun ideas to try today",
        "let's make it happen",
    ),
    "calm": (
        "a quiet idea worth keeping",
        "simple ideas, slowly made",
        "an easy rhythm for the week",
        "gentle ideas to return to",
        "unhurried and easy to follow",
    ),
    "formal": (
        "a practical guide to the essentials",
        "considered ideas for a polished result",
        "the essentials, clearly explained",
        "a reliable reference to keep",
        "proven ideas for a professional finish",
    ),
}

TITLE_HOOKS = {
    "friendly": ("ideas to save", "a simple guide", "how to make it yours", "worth a save", "easy ideas"),
    "playful": ("you'll love this", "go on, save it", "pure fun", "the fun way", "yes, really"),
    "calm": ("a slow guide", "simple and easy", "quiet inspiration", "an easy guide", "calm ideas"),
    "formal": ("a practical guide", "the essentials", "a complete guide", "expert tips", "key ideas"),
}

# The brand's words to use, in sentences that suit adjectives ("handmade") and nouns ("ritual") alike.
VOICE_LINES = {
    "friendly": ("It's all about {words}", "Expect {words}", "{Words}, every time"),
    "playful": ("Think {words}", "Say hello to {words}", "{Words}, all the way"),
    "calm": ("{Words}, always", "{Words}, from start to finish", "Made with {words} in mind"),
    "formal": ("Our focus: {words}", "Key qualities: {words}", "{Words}, by design"),
}

# The description's first sentence: the lead (keyword first) and a pitch.
OPENERS = ("{lead} — {pitch}", "{lead}: {pitch}", "{lead}, {pitch}", "{Pitch}: {lead_lower}")

MORE_KEYWORDS = {
    "friendly": "Explore {keywords} and more",
    "playful": "Explore {keywords} and more",
    "calm": "Explore {keywords} at your own pace",
    "formal": "See also {keywords}",
}

READ_ON = {
    "friendly": "Read the full guide on {domain}",
    "playful": "Get the whole story on {domain}",
    "calm": "Read the full guide on {domain}, whenever you are ready",
    "formal": "Read the full guide on {domain}",
}

SAVE_TO = {
    "friendly": "Save it to your {board} board for later",
    "playful": "Pop it on your {board} board for later",
    "calm": "Keep it on your {board} board for a quiet moment",
    "formal": "Save it to your {board} board for reference",
}

# What the media looks like, said in the description; {palette} "orange and beige", {framing} from its shape.
IMAGE_LINES = (
    "{Palette} tones set the mood",
    "Styled in {palette} and {framing}",
    "A {shape} shot in {palette}, made to stand out in the feed",
    "Colour story: {palette}",
    "Picture it in {palette}, {framing}",
)
SUBJECT_LINE = "The {subject} takes centre stage"
VIDEO_LINES = (
    "Watch it come together in {seconds} seconds",
    "A {seconds}-second {shape} video in {palette}",
)
FRAMING = {"portrait": "framed tall for the feed", "landscape": "framed wide", "square": "framed square"}
SHAPES = {"portrait": "tall", "landscape": "wide", "square": "square"}

# Words in file names that say nothing about what is shown: cameras, apps, exports and the studio's own fixes.
FILE_NAME_NOISE = frozenset(
    " ".join(
        (
            "img dsc dscn dscf pxl mvi gopr image images photo photos pic pics picture screenshot screen shot",
            "copy final edit edited export exported untitled pin pins video vid mov movie clip file scan resized",
            "large small web whatsapp jpeg jpg png gif webp heic mp4 frame design slide render thumb thumbnail",
            "crop cropped pad padded convert converted fixed compressed trim trimmed rotate rotated new old version",
            "and the for with from our your into onto over under",
        )
    ).split()
)
