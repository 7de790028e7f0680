//! A class typing at once against `rubric serve`: the latency of `POST /api/check` under load
//! (issue 21: 30 students checking every half second, p99 under 50 ms). Run by
//! `bash bench/serve_load.sh`, or by hand:
//!
//! ```text
//! cargo build --release --bin rubric --example serve_load
//! target/release/examples/serve_load target/release/rubric [STUDENTS] [SECONDS] [INTERVAL_MS] [staggered|together]
//! ```
//!
//! It starts `rubric serve --port 0 --rubrics rubrics` itself (from the package root), and
//! stops it at the end. Each student is a thread with one kept-alive connection, as a browser
//! tab has, that sends its draft every INTERVAL_MS (500) for SECONDS (20); the draft grows
//! from a sentence to a long essay (about 550 words) over the run, so the last checks are the
//! heaviest. `staggered` (the default) spreads the students evenly over the interval, as a
//! class typing at its own pace does; `together` sends all of them in the same instant, the
//! worst case. Latency is counted from when a check was due, not from when it was sent, so a
//! slow answer that delays the next check counts against the server (no coordinated omission).
//! Prints the percentiles and exits 1 when p99 is 50 ms or more (2 on an error).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

/// Sentences the drafts are made of: on topic, off topic, a negation and a misconception, so
/// every kind of point status is computed.
const SENTENCES: &[&str] = &[
    "Stalin rose because of the jobs he was given after the revolution.",
    "In 1917 he became Commissar for Nationalities, which put the non-Russian peoples under him.",
    "As liaison between the Politburo and the Orgburo he could watch party personnel and policy.",
    "He was head of the Workers' and Peasants' Inspectorate, so he could inspect the state.",
    "As General Secretary from 1922 he kept the party's files and appointed its officials.",
    "He built a patronage system: the people he promoted voted for him at party congresses.",
    "Lenin chose Stalin as his successor, or so some people believed at the time.",
    "He was not a great speaker, and Trotsky thought him a grey blur.",
    "The other leaders underestimated him and saw him as a dull administrator.",
    "Trotsky was arrogant and made enemies, and he missed Lenin's funeral.",
    "Stalin used the Lenin Enrolment to bring in new members loyal to him.",
    "He allied with Zinoviev and Kamenev against Trotsky, then with Bukharin against them.",
    "Socialism in One Country was a more popular idea than permanent revolution.",
    "Lenin's Testament criticised Stalin but it was never published in the Soviet Union.",
    "The weather in Moscow was cold that winter and the harvest was poor.",
];

/// The draft of student `n` after `tick` of `ticks` checks: a growing prefix of their essay.
fn draft(n: usize, tick: usize, ticks: usize) -> String {
    let mut essay = String::new();
    // Each student's essay: the sentences in their own order, three times over (~550 words).
    for round in 0..3 {
        for i in 0..SENTENCES.len() {
            let s = SENTENCES[(i * 7 + n * 5 + round * 3) % SENTENCES.len()];
            essay.push_str(s);
            essay.push(if i % 4 == 3 { '\n' } else { ' ' });
        }
        essay.push('\n');
    }
    let want = (essay.len() * (tick + 1)).div_ceil(ticks).max(40).min(essay.len());
    let mut end = want;
    while !essay.is_char_boundary(end) {
        end += 1;
    }
    essay.truncate(end);
    essay
}

/// One kept-alive connection: sends a check, reads the whole response, returns its status.
fn check(stream: &mut BufReader<TcpStream>, addr: SocketAddr, text: &str) -> Result<u16, String> {
    let body = serde_json::json!({"rubric": "stalin-rise", "text": text, "format": "markdown"}).to_string();
    let head = format!(
        "POST /api/check HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let s = stream.get_mut();
    s.write_all(head.as_bytes()).map_err(|e| e.to_string())?;
    s.write_all(body.as_bytes()).map_err(|e| e.to_string())?;
    let mut status = String::new();
    stream.read_line(&mut status).map_err(|e| e.to_string())?;
    let code: u16 = status
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| format!("not a status line: {status:?}"))?;
    let mut length = None;
    loop {
        let mut line = String::new();
        if stream.read_line(&mut line).map_err(|e| e.to_string())? == 0 {
            return Err("the server closed the connection".into());
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let length = length.ok_or("no Content-Length")?;
    let mut body = vec![0; length];
    stream.read_exact(&mut body).map_err(|e| e.to_string())?;
    Ok(code)
}

/// The `p`-th percentile (nearest rank) of sorted `v`.
fn percentile(v: &[Duration], p: f64) -> Duration {
    let rank = ((p / 100.0) * v.len() as f64).ceil() as usize;
    v[rank.clamp(1, v.len()) - 1]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(bin) = args.first() else {
        eprintln!("usage: serve_load RUBRIC_BINARY [STUDENTS] [SECONDS] [INTERVAL_MS] [staggered|together]");
        return ExitCode::from(2);
    };
    let number = |i: usize, default: u64| args.get(i).map_or(Some(default), |a| a.parse().ok());
    let (Some(students), Some(seconds), Some(interval)) = (number(1, 30), number(2, 20), number(3, 500)) else {
        eprintln!("serve_load: STUDENTS, SECONDS and INTERVAL_MS are whole numbers");
        return ExitCode::from(2);
    };
    let together = match args.get(4).map(String::as_str) {
        None | Some("staggered") => false,
        Some("together") => true,
        Some(other) => {
            eprintln!("serve_load: `{other}`: staggered or together");
            return ExitCode::from(2);
        }
    };
    let (students, interval) = (students.max(1) as usize, Duration::from_millis(interval.max(1)));
    let ticks = ((seconds * 1000) / interval.as_millis().max(1) as u64).max(1) as usize;

    let root = env!("CARGO_MANIFEST_DIR");
    let mut server = match Command::new(bin)
        .current_dir(root)
        .args(["serve", "--port", "0", "--rubrics", "rubrics"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => {
            eprintln!("serve_load: cannot run {bin}: {e}");
            return ExitCode::from(2);
        }
    };
    let mut out = BufReader::new(server.stdout.take().expect("piped"));
    let mut first = String::new();
    let _ = out.read_line(&mut first);
    let addr: Option<SocketAddr> = first
        .trim()
        .strip_prefix("Listening on http://")
        .and_then(|a| a.parse().ok());
    let Some(addr) = addr else {
        eprintln!("serve_load: the server printed {first:?}");
        let _ = server.kill();
        return ExitCode::from(2);
    };
    // Keep reading the server's output so that it never blocks on a full pipe.
    std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));

    let start = Instant::now() + Duration::from_millis(200);
    let threads: Vec<_> = (0..students)
        .map(|n| {
            let offset = if together {
                Duration::ZERO
            } else {
                interval * n as u32 / students as u32
            };
            std::thread::spawn(move || -> Result<Vec<Duration>, String> {
                let stream = TcpStream::connect(addr).map_err(|e| e.to_string())?;
                stream.set_nodelay(true).map_err(|e| e.to_string())?;
                stream
                    .set_read_timeout(Some(Duration::from_secs(30)))
                    .map_err(|e| e.to_string())?;
                let mut stream = BufReader::new(stream);
                let drafts: Vec<String> = (0..ticks).map(|t| draft(n, t, ticks)).collect();
                let mut took = Vec::with_capacity(ticks);
                for (tick, text) in drafts.iter().enumerate() {
                    let due = start + offset + interval * tick as u32;
                    if let Some(wait) = due.checked_duration_since(Instant::now()) {
                        std::thread::sleep(wait);
                    }
                    let code = check(&mut stream, addr, text)?;
                    if code != 200 {
                        return Err(format!("student {n}: status {code}"));
                    }
                    took.push(due.elapsed());
                }
                Ok(took)
            })
        })
        .collect();
    let mut all = Vec::new();
    let mut failed = None;
    for t in threads {
        match t.join() {
            Ok(Ok(v)) => all.extend(v),
            Ok(Err(e)) => failed = Some(e),
            Err(_) => failed = Some("a student's thread panicked".into()),
        }
    }
    let wall = start.elapsed();
    let _ = server.kill();
    let _ = server.wait();
    if let Some(e) = failed {
        eprintln!("serve_load: {e}");
        return ExitCode::from(2);
    }
    all.sort();
    let words = draft(0, ticks - 1, ticks).split_whitespace().count();
    println!(
        "{students} students, a check every {} ms each for {:.1} s ({}), drafts of up to {words} words: {} checks, {:.0}/s",
        interval.as_millis(),
        wall.as_secs_f64(),
        if together { "together" } else { "staggered" },
        all.len(),
        all.len() as f64 / wall.as_secs_f64(),
    );
    let p99 = percentile(&all, 99.0);
    println!(
        "latency: p50 {}, p95 {}, p99 {}, max {}",
        ms(percentile(&all, 50.0)),
        ms(percentile(&all, 95.0)),
        ms(p99),
        ms(all[all.len() - 1]),
    );
    if p99 >= Duration::from_millis(50) {
        println!("p99 is over the goal of 50 ms");
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
