//! Readable token colours: syntect's bundled themes have comment and accent colours below the
//! WCAG AA contrast ratio (4.5:1) on their background. [`fix_colors`] nudges every
//! `color: #rrggbb` in a stylesheet toward black or white until it reaches that ratio on the
//! given background, keeping its hue.

const MIN_RATIO: f64 = 4.5;

/// `css` with each `color:` adjusted for contrast against `bg`. Other lines are kept.
pub(super) fn fix_colors(css: &str, bg: [u8; 3]) -> String {
    let mut out = String::with_capacity(css.len());
    for line in css.lines() {
        let fixed = line
            .trim_start()
            .strip_prefix("color: #")
            .and_then(|rest| parse_hex(rest.trim_end_matches(';')))
            .map(|fg| format!(" color: {};", hex(readable(fg, bg))));
        out.push_str(fixed.as_deref().unwrap_or(line));
        out.push('\n');
    }
    out
}

/// `fg` mixed toward black (light `bg`) or white (dark `bg`) just enough to be readable.
pub(super) fn readable(fg: [u8; 3], bg: [u8; 3]) -> [u8; 3] {
    let target = if luminance(bg) > 0.5 {
        [0, 0, 0]
    } else {
        [255, 255, 255]
    };
    let mut color = fg;
    for step in 0..=20 {
        color = mix(fg, target, f64::from(step) / 20.0);
        if ratio(color, bg) >= MIN_RATIO {
            break;
        }
    }
    color
}

fn mix(a: [u8; 3], b: [u8; 3], t: f64) -> [u8; 3] {
    let channel = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * t).round() as u8;
    [
        channel(a[0], b[0]),
        channel(a[1], b[1]),
        channel(a[2], b[2]),
    ]
}

/// WCAG contrast ratio of two colours.
pub(super) fn ratio(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// WCAG relative luminance.
fn luminance(c: [u8; 3]) -> f64 {
    let lin = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.03928 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2])
}

fn parse_hex(text: &str) -> Option<[u8; 3]> {
    let text = text.get(..6)?;
    let n = u32::from_str_radix(text, 16).ok()?;
    Some([(n >> 16) as u8, (n >> 8) as u8, n as u8])
}

fn hex(c: [u8; 3]) -> String {
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn low_contrast_colours_are_fixed_and_good_ones_kept() {
        let light = [0xf6, 0xf8, 0xfa];
        let grey = [0x96, 0x98, 0x96];
        assert!(ratio(grey, light) < MIN_RATIO);
        assert!(ratio(readable(grey, light), light) >= MIN_RATIO);
        assert_eq!(readable([0x18, 0x36, 0x91], light), [0x18, 0x36, 0x91]);
        let dark = [0x16, 0x1b, 0x22];
        assert!(ratio(readable([0x65, 0x73, 0x7e], dark), dark) >= MIN_RATIO);
    }

    #[test]
    fn only_colour_lines_change() {
        let css = ".hl-comment {\n color: #969896;\n}\n.x {\n background-color: #969896;\n}\n";
        let fixed = fix_colors(css, [0xf6, 0xf8, 0xfa]);
        assert!(!fixed.contains(" color: #969896;"), "{fixed}");
        assert!(fixed.contains("background-color: #969896;"), "{fixed}");
    }
}
