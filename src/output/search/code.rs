//! The postings code of the search index: increasing lists of numbers as short strings that
//! search.js decodes lazily (`decodeList`). A list is delta-coded (5 bits a letter) or, when
//! shorter, a bitmap (6 bits a letter, after a `.`); a term's three lists are joined by `,`.

use super::Postings;

/// Letters of the postings code: values 0–31 end a number, 32–63 continue it (5 bits each);
/// a bitmap list starts with `.` and carries 6 bits per letter. Lists are separated by `,`.
pub(super) const ALPHABET: &[u8; 64] =
    b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";

pub(super) fn encode_postings(p: &Postings) -> String {
    let mut lists = vec![
        encode_list(&p.body),
        encode_list(&p.heading),
        encode_list(&p.title),
    ];
    while lists.last().is_some_and(String::is_empty) {
        lists.pop();
    }
    lists.join(",")
}

/// The shorter of the delta code and the bitmap code of an increasing list.
pub(super) fn encode_list(ids: &[u32]) -> String {
    let mut delta = String::new();
    let mut prev = 0;
    for (i, &id) in ids.iter().enumerate() {
        // The first id is stored as is, later ones as the gap minus one.
        push_number(&mut delta, if i == 0 { id } else { id - prev - 1 });
        prev = id;
    }
    let Some(&last) = ids.last() else {
        return delta;
    };
    let bits = last as usize + 1;
    if bits.div_ceil(6) + 1 >= delta.len() {
        return delta;
    }
    let mut cells = vec![0u8; bits.div_ceil(6)];
    for &id in ids {
        cells[id as usize / 6] |= 1 << (id % 6);
    }
    std::iter::once('.')
        .chain(cells.iter().map(|&c| ALPHABET[c as usize] as char))
        .collect()
}

/// Most significant 5-bit group first; every letter but the last has bit 5 set.
fn push_number(out: &mut String, mut n: u32) {
    let mut groups = vec![n & 31];
    n >>= 5;
    while n > 0 {
        groups.push((n & 31) | 32);
        n >>= 5;
    }
    out.extend(groups.iter().rev().map(|&g| ALPHABET[g as usize] as char));
}
