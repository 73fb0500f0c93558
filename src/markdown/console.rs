//! Console transcripts as a terminal shows them: the `$ ` prompt styled apart from the command,
//! output muted, harness-only lines hidden (`? N` status lines), `...` as a muted ellipsis line
//! and `[..]` wildcards as `…`. The copy button copies the `.cmd` spans only (see copy.js).

use pulldown_cmark_escape::escape_html_body_text;

/// The transcript `text` (as the snippet displays it) as HTML lines (no `<pre>`).
pub(super) fn render(text: &str) -> String {
    let mut html = String::with_capacity(text.len() * 2);
    let mut in_command = false;
    for line in text.lines() {
        if let Some(cmd) = line
            .strip_prefix("$ ")
            .or(if line == "$" { Some("") } else { None })
        {
            push_command(&mut html, "$ ", cmd);
            in_command = true;
        } else if let (true, Some(more)) = (in_command, line.strip_prefix("> ")) {
            push_command(&mut html, "> ", more);
        } else if in_command && is_status_line(line) {
            in_command = false;
        } else {
            in_command = false;
            push_output(&mut html, line);
        }
    }
    html
}

fn push_command(html: &mut String, prompt: &str, cmd: &str) {
    html.push_str("<span class=\"prompt\" aria-hidden=\"true\">");
    escape(html, prompt);
    html.push_str("</span><span class=\"cmd\">");
    escape(html, cmd);
    html.push_str("</span>\n");
}

fn push_output(html: &mut String, line: &str) {
    if line == "..." {
        html.push_str("<span class=\"out ellipsis\" title=\"more output\">…</span>\n");
        return;
    }
    html.push_str("<span class=\"out\">");
    let mut text = String::with_capacity(line.len() + 8);
    escape(&mut text, &line.replace("[..]", "…"));
    html.push_str(&mark_placeholders(&text));
    html.push_str("</span>\n");
}

/// The redactions a transcript may use for what changes from run to run, and what each stands
/// for (shown as a `<span class="placeholder">`, so a reader sees it is not literal output).
const PLACEHOLDERS: [(&str, &str); 6] = [
    ("[SHA7]", "an abbreviated commit id"),
    ("[SHA]", "a commit id"),
    ("[DATE]", "a date"),
    ("[PORT]", "a port number"),
    ("[ROOT]", "the folder the commands ran in"),
    ("[HOME]", "the home folder"),
];

/// `escaped` (HTML) with each placeholder in a span that names what it stands for.
fn mark_placeholders(escaped: &str) -> String {
    if !escaped.contains('[') {
        return escaped.to_string();
    }
    let mut out = escaped.to_string();
    for (token, meaning) in PLACEHOLDERS {
        out = out.replace(
            token,
            &format!(
                "{}<span class=\"placeholder\" title=\"{meaning}\">{token}</span>{}",
                super::body::placeholder_token(token),
                super::body::END
            ),
        );
    }
    out
}

/// `? 128`: the expected exit status, for the harness only.
fn is_status_line(line: &str) -> bool {
    line.strip_prefix("? ")
        .is_some_and(|n| n.trim().parse::<i32>().is_ok())
}

fn escape(html: &mut String, text: &str) {
    // Writing to a String cannot fail.
    let _ = escape_html_body_text(html, text);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_lines() {
        let html = render("$ git push\n> --force\n? 128\nfatal: [..] denied\n...\n$ ls\n");
        assert_eq!(
            html,
            "<span class=\"prompt\" aria-hidden=\"true\">$ </span><span class=\"cmd\">git push</span>\n\
             <span class=\"prompt\" aria-hidden=\"true\">&gt; </span><span class=\"cmd\">--force</span>\n\
             <span class=\"out\">fatal: … denied</span>\n\
             <span class=\"out ellipsis\" title=\"more output\">…</span>\n\
             <span class=\"prompt\" aria-hidden=\"true\">$ </span><span class=\"cmd\">ls</span>\n"
        );
    }

    #[test]
    fn placeholders_are_marked() {
        let holes = render("$ git push\n   [SHA7]..[SHA7]  main -> main\n[ROOT]/x [SHAX]\n");
        let body = super::super::Body::parse(&holes);
        let tokens: Vec<&str> = body
            .parts
            .iter()
            .filter_map(|p| match p {
                super::super::Part::Placeholder { token, .. } => Some(token.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(
            tokens,
            ["[SHA7]", "[SHA7]", "[ROOT]"],
            "each placeholder is a hole"
        );
        let html = body.plain();
        assert!(
            html.contains(
                "<span class=\"out\">   <span class=\"placeholder\" title=\"an abbreviated commit id\">[SHA7]</span>..<span class=\"placeholder\" title=\"an abbreviated commit id\">[SHA7]</span>  main -&gt; main</span>"
            ),
            "{html}"
        );
        assert!(
            html.contains("the folder the commands ran in\">[ROOT]</span>/x [SHAX]"),
            "{html}"
        );
    }

    #[test]
    fn output_is_escaped_and_status_only_after_commands() {
        let html = render("$ echo '<b>'\n<b>\n? 1\n");
        assert!(
            html.contains("<span class=\"out\">&lt;b&gt;</span>"),
            "{html}"
        );
        assert!(html.contains("<span class=\"out\">? 1</span>"), "{html}");
    }
}
