//! Post text: templates in English, Spanish, French and German filled with phrases of the
//! post's topic (its name and keywords in the built-in taxonomy), a hashtag built from the
//! topic name (`#GardeningTips`), emoji, short links and @mentions of accounts the author
//! follows; off-topic posts are chatter (giveaways, greetings, small talk). The filler words
//! are chosen to match no topic of the taxonomy (a test checks it), so an on-topic post is
//! about its topic only.

use super::accounts::{Account, Lang};
use super::posts::PostMeta;
use super::topics::TopicTable;
use crate::rng::SplitMix;

/// On-topic templates: `{K}` and `{J}` are topic phrases, `{H}` the hashtag, `{E}` an emoji,
/// `{U}` a link, `{M}` a mention, `{N}` a small number.
const EN: [&str; 12] = [
    "{K} thoughts for the weekend: {J} is underrated {E} {H}",
    "My notes on {K} and {J} {U} {H}",
    "Hot take: {K} beats everything else. Who agrees? {H} {E}",
    "Spent the morning on {K}. Tomorrow: more {J} {E}",
    "{M} what do you think about {K}? {H}",
    "Thread on {K} 🧵 1/ {J} explained simply {U}",
    "Can't stop thinking about {K} {E}{E} {H}",
    "Quick tip for {K} fans: start with {J} {H}",
    "Big week for {K}! {J} coming soon {U} {E}",
    "My {K} diary, day {N}: {J} {E} {H}",
    "Honest opinion on {J}: worth it for anyone into {K} {U}",
    "Catching up on {K} tonight {E} {H} {M}",
];
const ES: [&str; 4] = [
    "Hoy hablamos de {K} y {J} {E} {H}",
    "¿Qué opináis sobre {K}? {H} {M}",
    "Mi rutina de {K}: {J} cada semana {E} {U}",
    "Pequeño consejo sobre {K}: empezad por {J} {H}",
];
const FR: [&str; 4] = [
    "Aujourd'hui on parle de {K} et de {J} {E} {H}",
    "Que pensez-vous de {K} ? {H} {M}",
    "Mon conseil {K} : commencez par {J} {E} {U}",
    "Ma semaine {K}, jour {N} : {J} {H}",
];
const DE: [&str; 4] = [
    "Heute geht es um {K} und {J} {E} {H}",
    "Was haltet ihr von {K}? {H} {M}",
    "Kleiner Tipp zu {K}: fangt mit {J} an {E} {U}",
    "Mein {K}-Tagebuch, Tag {N}: {J} {H}",
];
/// Off-topic chatter.
const CHATTER_EN: [&str; 8] = [
    "GIVEAWAY 🎁 RT and tag a friend to win a $50 gift card! Ends Friday {U}",
    "Good morning everyone {E}",
    "Thank you all for the kind words 🙏",
    "Monday again... {E}",
    "Who else is up this late? {E}",
    "Warm wishes to all of you for the end of the year! 🎄✨",
    "Can't believe it's been {N} days already {E}",
    "Small win today, feeling grateful {E} {M}",
];
const CHATTER_ES: [&str; 2] = ["¡Buenos días a todos! {E}", "¡Felices fiestas! 🎄"];
const CHATTER_FR: [&str; 2] = ["Bonne journée à tous {E}", "Joyeuses fêtes ! 🎄"];
const CHATTER_DE: [&str; 2] = ["Guten Morgen zusammen {E}", "Frohe Feiertage! 🎄"];
const EMOJI: [&str; 14] = [
    "🔥", "✨", "🙌", "😍", "💡", "🎉", "👀", "💯", "😂", "👏", "🚀", "🌱", "😅", "🤔",
];
const SUFFIX: [&str; 5] = ["", "", "Tips", "Life", "Daily"];

/// The text of a post; `rng` is the post's own stream.
pub fn write_text(
    post: &PostMeta,
    accounts: &[Account],
    followees: &[u32],
    topics: &TopicTable,
    rng: &mut SplitMix,
) -> String {
    let template = match (post.topic, post.lang) {
        (Some(_), Lang::En) => *rng.pick(&EN),
        (Some(_), Lang::Es) => *rng.pick(&ES),
        (Some(_), Lang::Fr) => *rng.pick(&FR),
        (Some(_), Lang::De) => *rng.pick(&DE),
        (None, Lang::En) => *rng.pick(&CHATTER_EN),
        (None, Lang::Es) => *rng.pick(&CHATTER_ES),
        (None, Lang::Fr) => *rng.pick(&CHATTER_FR),
        (None, Lang::De) => *rng.pick(&CHATTER_DE),
    };
    let info = post.topic.map(|t| &topics.topics[t as usize]);
    let mut out = String::with_capacity(template.len() + 48);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let slot = rest.as_bytes()[open + 1];
        rest = &rest[open + 3..];
        match (slot, info) {
            (b'K', Some(i)) => out.push_str(rng.pick(&i.phrases).as_str()),
            (b'J', Some(i)) => {
                // A second phrase, different from the first when the topic has several.
                let mut j = rng.pick(&i.phrases);
                for _ in 0..4 {
                    if !out.contains(j.as_str()) {
                        break;
                    }
                    j = rng.pick(&i.phrases);
                }
                out.push_str(j)
            }
            (b'H', Some(i)) => {
                out.push('#');
                out.push_str(&i.hashtag);
                out.push_str(*rng.pick(&SUFFIX));
            }
            (b'E', _) => out.push_str(*rng.pick(&EMOJI)),
            (b'U', _) => {
                out.push_str("https://lnk.example/");
                out.push_str(&super::accounts::base36(rng.next() >> 34));
            }
            (b'M', _) => match followees {
                [] => out.push_str("@everyone"),
                f => {
                    let id = &accounts[*rng.pick(f) as usize].id;
                    out.push('@');
                    out.push_str(&id[3..]);
                }
            },
            (b'N', _) => out.push_str(itoa::Buffer::new().format(2 + rng.below(40))),
            _ => {}
        }
    }
    out.push_str(rest);
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::AnalyzerRegistry;
    use crate::topics::classify::zero_shot::Scratch;
    use crate::topics::ZeroShot;

    /// The filler words of the on-topic templates name no topic, so the post's phrases decide;
    /// chatter names none at all (an off-topic post must not make anyone an expert).
    #[test]
    fn templates_and_chatter_match_no_topic_by_themselves() {
        let o = crate::topics::builtin();
        let analyzer = AnalyzerRegistry::default().get("social").unwrap();
        let zs = ZeroShot::new(&o, &analyzer);
        let mut s = Scratch::default();
        let mut bad = Vec::new();
        let chatter = CHATTER_EN
            .iter()
            .chain(&CHATTER_ES)
            .chain(&CHATTER_FR)
            .chain(&CHATTER_DE);
        for t in EN.iter().chain(&ES).chain(&FR).chain(&DE).chain(chatter) {
            let filler = ["{K}", "{J}", "{H}", "{E}", "{U}", "{M}", "{N}"]
                .iter()
                .fold(t.to_string(), |s, slot| s.replace(slot, " "));
            let found = zs.classify(&analyzer, &filler, 3, &mut s);
            let names: Vec<&str> = found.iter().map(|&(i, _)| o.topic(i).id.as_str()).collect();
            if !names.is_empty() {
                bad.push(format!("{t:?} matches {names:?}"));
            }
        }
        assert!(bad.is_empty(), "{bad:#?}");
    }
}
