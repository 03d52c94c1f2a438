//! The synthetic population: people with a language, topic interests and a hidden influence
//! level, their accounts on two networks (everyone on `twitter`, about 30% also on `instagram`,
//! with the same interests and a noisy copy of the influence), and the planted attackers: a
//! bot farm boosting one account, and a reciprocal ring.

use rayon::prelude::*;

use super::topics::TopicTable;
use super::SocialSpec;
use crate::rng::SplitMix;
use crate::topics::TopicIdx;

/// A network of the synthetic world.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Network {
    Twitter,
    Instagram,
}

impl Network {
    pub fn name(self) -> &'static str {
        match self {
            Network::Twitter => "twitter",
            Network::Instagram => "instagram",
        }
    }
    fn prefix(self) -> &'static str {
        match self {
            Network::Twitter => "tw",
            Network::Instagram => "ig",
        }
    }
}

/// What an account is in the planted truth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// An ordinary account of a person.
    Person,
    /// A bot of the farm: no interests, no influence, boosts the boosted account.
    Bot,
    /// The account the bot farm boosts.
    Boosted,
    /// A member of the reciprocal ring (members share each other's every post).
    Ring,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Person => "person",
            Role::Bot => "bot",
            Role::Boosted => "boosted",
            Role::Ring => "ring",
        }
    }
}

/// The language a person mostly writes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Es,
    Fr,
    De,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
            Lang::Fr => "fr",
            Lang::De => "de",
        }
    }
}

/// One account and its hidden attributes.
#[derive(Debug, Clone)]
pub struct Account {
    /// `tw:handle` or `ig:handle`.
    pub id: String,
    pub network: Network,
    pub person: u32,
    /// Hidden influence level (heavy-tailed, > 0; bots 0).
    pub influence: f64,
    /// Topic interests with weights summing to about 1, heaviest first.
    pub interests: Vec<(TopicIdx, f64)>,
    pub role: Role,
    pub lang: Lang,
    /// Relative posting rate.
    pub activity: f64,
}

/// Share of people who are influencers (log-normal influence around e² instead of 1).
pub const INFLUENCER_SHARE: f64 = 0.12;

const FIRST: [&str; 40] = [
    "ada", "ben", "chloe", "dev", "elena", "farid", "grace", "hiro", "ines", "jonas", "kemi",
    "liam", "maya", "nico", "olga", "pablo", "quinn", "rosa", "sami", "tara", "umar", "vera",
    "wen", "ximena", "yusuf", "zoe", "amara", "bruno", "carla", "dario", "emma", "felix", "gita",
    "hugo", "ivy", "jade", "kai", "lena", "marco", "nora",
];
const LAST: [&str; 32] = [
    "okafor", "silva", "nguyen", "muller", "rossi", "tanaka", "kowalski", "haddad", "garcia",
    "dubois", "schmidt", "lopez", "kim", "patel", "olsen", "moreau", "fischer", "costa", "ivanova",
    "mensah", "santos", "weber", "martin", "bauer", "ortiz", "leroy", "novak", "ahmed", "berg",
    "chen", "diaz", "evans",
];

fn round_to(x: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (x * f).round() / f
}

/// A person's drawn attributes.
struct PersonDraw {
    handle: String,
    lang: Lang,
    influence: f64,
    interests: Vec<(TopicIdx, f64)>,
    activity: f64,
}

fn draw_person(seed: u64, p: u32, topics: &TopicTable) -> PersonDraw {
    let mut rng = SplitMix::stream(seed, 1, u64::from(p));
    let handle = format!("{}_{}{p}", rng.pick(&FIRST), rng.pick(&LAST),);
    let lang = match rng.unit() {
        x if x < 0.80 => Lang::En,
        x if x < 0.88 => Lang::Es,
        x if x < 0.94 => Lang::Fr,
        _ => Lang::De,
    };
    let influencer = rng.chance(INFLUENCER_SHARE);
    let mu = if influencer { 2.0 } else { 0.0 };
    let influence = round_to((mu + 0.6 * rng.normal()).exp(), 3).max(0.001);
    let k = match rng.unit() {
        x if x < 0.3 => 1,
        x if x < 0.75 => 2,
        _ => 3,
    };
    let mut interests: Vec<(TopicIdx, f64)> = Vec::with_capacity(k);
    while interests.len() < k {
        let t = topics.draw(&mut rng);
        if interests.iter().all(|&(u, _)| u != t) {
            interests.push((t, 0.5 + rng.exponential(1.0)));
        }
    }
    let total: f64 = interests.iter().map(|i| i.1).sum();
    for i in &mut interests {
        i.1 = round_to(i.1 / total, 2);
    }
    interests.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let activity = (0.5 * rng.normal()).exp() * if influencer { 2.5 } else { 1.0 };
    PersonDraw {
        handle,
        lang,
        influence,
        interests,
        activity,
    }
}

/// Lower-case base 36.
pub fn base36(mut x: u64) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    loop {
        out.push(DIGITS[(x % 36) as usize]);
        x /= 36;
        if x == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).expect("ascii")
}

/// Sizes of the population.
#[derive(Debug, Clone, Copy)]
pub struct Census {
    pub people: u32,
    /// People `0..instagram` also have an instagram account.
    pub instagram: u32,
    pub bots: u32,
    pub ring: u32,
}

impl Census {
    pub fn of(accounts: u32) -> Census {
        let bots = (accounts / 150).clamp(10, 500);
        let humans = accounts - bots;
        let people = (f64::from(humans) / 1.3).ceil() as u32;
        Census {
            people,
            instagram: humans - people,
            bots,
            ring: (accounts / 400).clamp(6, 40),
        }
    }
}

/// All accounts: twitter accounts of people `0..people` first, then instagram accounts of
/// people `0..instagram`, then the bots. Ring members and the boosted account are ordinary
/// low-influence twitter accounts given their role.
pub fn population(spec: &SocialSpec, topics: &TopicTable) -> Vec<Account> {
    let seed = spec.params().seed;
    let census = Census::of(spec.params().accounts);
    let people: Vec<PersonDraw> = (0..census.people)
        .into_par_iter()
        .map(|p| draw_person(seed, p, topics))
        .collect();
    let mut accounts: Vec<Account> = people
        .iter()
        .enumerate()
        .map(|(p, d)| Account {
            id: format!("{}:{}", Network::Twitter.prefix(), d.handle),
            network: Network::Twitter,
            person: p as u32,
            influence: d.influence,
            interests: d.interests.clone(),
            role: Role::Person,
            lang: d.lang,
            activity: d.activity,
        })
        .collect();
    for (p, d) in people.iter().take(census.instagram as usize).enumerate() {
        let mut rng = SplitMix::stream(seed, 2, p as u64);
        accounts.push(Account {
            id: format!("{}:{}", Network::Instagram.prefix(), d.handle),
            network: Network::Instagram,
            person: p as u32,
            influence: round_to(d.influence * (0.3 * rng.normal()).exp(), 3).max(0.001),
            interests: d.interests.clone(),
            role: Role::Person,
            lang: d.lang,
            activity: d.activity,
        });
    }
    plant_roles(&mut accounts, &census);
    for b in 0..census.bots {
        accounts.push(Account {
            id: format!("tw:win_prizes_{}", base36(u64::from(b))),
            network: Network::Twitter,
            person: census.people + b,
            influence: 0.0,
            interests: Vec::new(),
            role: Role::Bot,
            lang: Lang::En,
            activity: 0.3,
        });
    }
    accounts
}

/// Gives the ring and the boosted account to low-influence twitter-only people, taken in
/// order from the last person down.
fn plant_roles(accounts: &mut [Account], census: &Census) {
    let mut chosen = 0;
    for p in (census.instagram..census.people).rev() {
        let a = &mut accounts[p as usize];
        if a.influence >= 1.0 || a.interests.is_empty() {
            continue;
        }
        a.role = if chosen == 0 {
            Role::Boosted
        } else {
            Role::Ring
        };
        chosen += 1;
        if chosen > census.ring {
            break;
        }
    }
}
