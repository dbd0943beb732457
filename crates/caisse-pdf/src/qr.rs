//! QR code symbols: the very symbol `qrcode` draws, with its mask chosen faster.
//!
//! A QR encoder tries the eight mask patterns and keeps the one with the lowest penalty score
//! (ISO/IEC 18004 §7.8). `qrcode` scores each candidate through a generic accessor and boxed
//! closures, which took a fifth of an attestation's rendering time. Here the encoding, the
//! error correction and the masks are still `qrcode`'s; only the scoring is redone on a plain
//! grid, with the same rules, the same order and the same tie-break, so the symbol is identical
//! (a test compares them).

use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::{Color, EcLevel, bits, ec};

use crate::error::PdfError;

/// Level M restores 15 % of the symbol: a crease or a stain on paper.
const EC_LEVEL: EcLevel = EcLevel::M;

/// In `qrcode`'s order: on equal scores, the first wins there too.
const MASKS: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];

/// A square symbol, without its quiet zone.
pub(crate) struct Symbol {
    /// Modules per side.
    pub(crate) width: usize,
    /// Row by row, `true` for a dark module.
    pub(crate) dark: Vec<bool>,
}

/// Encodes `data` at level M in the smallest version that holds it.
///
/// Errors: [`PdfError::QrCodeTooLong`] when even the largest symbol is too small.
pub(crate) fn encode(data: &[u8]) -> Result<Symbol, PdfError> {
    let too_long = |_| PdfError::QrCodeTooLong;
    let bits = bits::encode_auto(data, EC_LEVEL).map_err(too_long)?;
    let version = bits.version();
    let (codewords, ec_codewords) =
        ec::construct_codewords(&bits.into_bytes(), version, EC_LEVEL).map_err(too_long)?;
    let mut unmasked = Canvas::new(version, EC_LEVEL);
    unmasked.draw_all_functional_patterns();
    unmasked.draw_data(&codewords, &ec_codewords);
    let width = usize::try_from(version.width()).map_err(|_| PdfError::QrCodeTooLong)?;

    let mut best: Option<(u32, Vec<bool>)> = None;
    for mask in MASKS {
        let mut canvas = unmasked.clone();
        canvas.apply_mask(mask);
        let dark: Vec<bool> = canvas
            .into_colors()
            .into_iter()
            .map(|c| c == Color::Dark)
            .collect();
        let score = penalty(width, &dark);
        if best.as_ref().is_none_or(|(lowest, _)| score < *lowest) {
            best = Some((score, dark));
        }
    }
    // Eight candidates were scored, so there is a best one.
    let (_, dark) = best.ok_or(PdfError::QrCodeTooLong)?;
    Ok(Symbol { width, dark })
}

/// The penalty score of a masked symbol, as `qrcode` 0.14 computes it for normal (not micro)
/// symbols: runs of five or more, 2×2 blocks, finder-like patterns in rows and columns, and the
/// dark/light balance. (`qrcode` subtracts a constant from the finder score; it does not
/// change which mask wins.)
fn penalty(width: usize, dark: &[bool]) -> u32 {
    let lines_and_blocks = if width <= 128 {
        packed_score(width, dark)
    } else {
        plain_score(width, dark)
    };
    let dark_count = dark.iter().filter(|&&d| d).count();
    let ratio = dark_count * 200 / dark.len().max(1);
    lines_and_blocks + u32::try_from(ratio.abs_diff(100)).unwrap_or(u32::MAX)
}

/// The line and block rules with every row and column in one `u128` (bit `k` is module `k`,
/// 1 for dark): a few word operations per line instead of a loop over modules. Symbols up to
/// 128 modules wide (version 27), which covers every statement but the longest.
fn packed_score(width: usize, dark: &[bool]) -> u32 {
    let mut rows = vec![0u128; width];
    let mut columns = vec![0u128; width];
    for (y, row) in dark.chunks_exact(width).enumerate() {
        for (x, &module) in row.iter().enumerate() {
            let bit = u128::from(module);
            rows[y] |= bit << x;
            columns[x] |= bit << y;
        }
    }
    let all = u128::MAX >> (128 - width);
    let mut score = 0;
    for &line in rows.iter().chain(&columns) {
        score += packed_line_score(line, all);
    }
    for pair in rows.windows(2) {
        let (upper, lower) = (pair[0], pair[1]);
        let same_below = !(upper ^ lower);
        let blocks = !(upper ^ (upper >> 1)) & same_below & (same_below >> 1) & (all >> 1);
        score += 3 * blocks.count_ones();
    }
    score
}

/// [`line_score`] of a packed line; `all` has a bit set for each module of the line.
fn packed_line_score(line: u128, all: u128) -> u32 {
    // Bit k: module k has the colour of module k + 1.
    let same = !(line ^ (line >> 1)) & (all >> 1);
    // Bit k: modules k to k + 4 have one colour. A run of 5 + n holds 1 + n of these windows
    // and scores 3 + n: its first window counts 2 more.
    let five = same & (same >> 1) & (same >> 2) & (same >> 3);
    let first = five & !(same << 1);
    let mut score = five.count_ones() + 2 * first.count_ones();
    // Bit j: `dark light dark dark dark light dark` starts at j (outside the line is light).
    let light = !line;
    let mut finders =
        line & (light >> 1) & (line >> 2) & (line >> 3) & (line >> 4) & (light >> 5) & (line >> 6);
    while finders != 0 {
        let j = finders.trailing_zeros();
        finders &= finders - 1;
        let from = j.saturating_sub(4);
        let dark_before = (line >> from) & ((1 << (j - from)) - 1) != 0;
        let dark_after = line.checked_shr(j + 7).unwrap_or(0) & 0xF != 0;
        if !dark_before || !dark_after {
            score += 40;
        }
    }
    score
}

/// The line and block rules module by module, for any width.
fn plain_score(width: usize, dark: &[bool]) -> u32 {
    // Columns are scored as the rows of the transposed grid: every line is then a slice.
    let mut transposed = vec![false; dark.len()];
    for (y, row) in dark.chunks_exact(width).enumerate() {
        for (x, &module) in row.iter().enumerate() {
            transposed[x * width + y] = module;
        }
    }
    let mut score: u32 = dark
        .chunks_exact(width)
        .chain(transposed.chunks_exact(width))
        .map(line_score)
        .sum();
    for (upper, lower) in dark
        .chunks_exact(width)
        .zip(dark.chunks_exact(width).skip(1))
    {
        for x in 0..width - 1 {
            let this = upper[x];
            if upper[x + 1] == this && lower[x] == this && lower[x + 1] == this {
                score += 3;
            }
        }
    }
    score
}

/// Scores one row or column: every run of `5 + n` modules of one colour scores `3 + n`, and
/// every `dark light dark dark dark light dark` without four light modules (or the edge) on
/// at least one side scores 40.
///
fn line_score(line: &[bool]) -> u32 {
    const FINDER: u32 = 0b101_1101;
    let mut score = 0;
    let mut run = 0u32;
    let mut previous = false;
    // The last 15 modules, the newest in bit 0; modules outside the line are light (0).
    let mut window = 0u32;
    for k in 0..line.len() + 4 {
        let module = line.get(k).copied().unwrap_or(false);
        if k < line.len() {
            let same = k > 0 && module == previous;
            let ended = u32::from(k > 0 && !same);
            score += ended * u32::from(run >= 5) * run.saturating_sub(2);
            run = run * u32::from(same) + 1;
            previous = module;
        }
        window = ((window << 1) | u32::from(module)) & 0x7FFF;
        // The pattern in bits 4 to 10, the four modules before it in bits 11 to 14 and the four
        // after it in bits 0 to 3.
        let finder = (window >> 4) & 0x7F == FINDER;
        let isolated = (window >> 11) == 0 || window & 0xF == 0;
        score += 40 * u32::from(finder && isolated);
    }
    score + u32::from(run >= 5) * run.saturating_sub(2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use qrcode::QrCode;

    fn library_symbol(data: &str) -> Vec<bool> {
        QrCode::with_error_correction_level(data.as_bytes(), EC_LEVEL)
            .unwrap()
            .to_colors()
            .into_iter()
            .map(|c| c == Color::Dark)
            .collect()
    }

    #[test]
    fn the_symbol_is_the_one_qrcode_draws() {
        // Statements like the real ones (base 32 after the prefix, several versions), other
        // modes (digits, bytes), and short data where the mask choice differs the most.
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        let mut cases: Vec<String> = (0..24)
            .map(|n| {
                let body: String = (0..(40 + n * 17))
                    .map(|i| char::from(alphabet[(i * 7 + n * 13 + i * i) % 32]))
                    .collect();
                format!("CAISSE-ATT1:{body}")
            })
            .collect();
        cases.extend(
            [
                "",
                "1",
                "CAISSE",
                "01234567890123456789",
                "https://portail.example.fr/verifier",
                "Attestation de droits — éditée le 22 novembre 2026",
            ]
            .map(str::to_owned),
        );
        // Wider than 128 modules: the plain scoring.
        cases.push(format!("CAISSE-ATT1:{}", "Q7".repeat(900)));
        let mut widest = 0;
        for data in &cases {
            let symbol = encode(data.as_bytes()).unwrap();
            widest = widest.max(symbol.width);
            assert_eq!(symbol.width * symbol.width, symbol.dark.len());
            assert!(
                symbol.dark == library_symbol(data),
                "symbols differ for {data:?}"
            );
        }
        assert!(widest > 128, "both scorings are compared: {widest}");
    }

    #[test]
    fn a_verification_url_mixes_modes_and_stays_a_printable_symbol() {
        // What attestations carry since issue 20: a lower-case address (byte mode), then the
        // statement (alphanumeric mode). A family of three seals to about 330 characters.
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        let body: String = (0..320)
            .map(|i| char::from(alphabet[(i * 7 + i * i) % 32]))
            .collect();
        let url = format!("https://portail.example.fr/verifier?a=CAISSE-ATT1:{body}");
        let symbol = encode(url.as_bytes()).unwrap();
        assert!(symbol.dark == library_symbol(&url), "the same symbol");
        // Version 12 (65 modules): about 33 mm at the smallest module that prints well.
        assert_eq!(symbol.width, 65);
    }

    #[test]
    fn packed_and_plain_scoring_agree() {
        // Pseudo-random grids (a linear congruential generator), dense and sparse.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for width in [21, 25, 61, 101, 125, 128] {
            for density in [2, 4] {
                let dark: Vec<bool> = (0..width * width)
                    .map(|_| {
                        state = state
                            .wrapping_mul(6_364_136_223_846_793_005)
                            .wrapping_add(1_442_695_040_888_963_407);
                        (state >> 33).is_multiple_of(density)
                    })
                    .collect();
                assert_eq!(
                    packed_score(width, &dark),
                    plain_score(width, &dark),
                    "width {width}"
                );
            }
        }
    }

    #[test]
    fn data_too_long_is_refused() {
        assert!(matches!(
            encode("A".repeat(5000).as_bytes()),
            Err(PdfError::QrCodeTooLong)
        ));
    }

    #[test]
    fn runs_and_finder_patterns_score_as_the_standard_says() {
        let score = line_score;
        assert_eq!(score(&[true; 5]), 3);
        assert_eq!(
            score(&[
                true, true, true, true, false, false, false, false, false, false
            ]),
            4
        );
        let finder = [true, false, true, true, true, false, true];
        let mut isolated = vec![false; 4];
        isolated.extend(finder);
        isolated.extend([false; 4]);
        // The finder pattern, and the two light runs of four (too short to score).
        assert_eq!(score(&isolated), 40);
        let mut surrounded = vec![true, false, false, false];
        surrounded.extend(finder);
        surrounded.extend([false, false, false, true]);
        assert_eq!(score(&surrounded), 0);
        // At the edge, the outside counts as light.
        assert_eq!(score(&finder), 40);
    }
}
