//! The embedded fonts (DejaVu Sans and DejaVu Sans Bold, see `fonts/LICENSE`) and text
//! shaping.
//!
//! The font files are DejaVu 2.37 without hinting and without the scripts the documents cannot
//! hold, made by `fonts/subset.py` (see `fonts/README.md`): smaller subsets in every PDF, and
//! less for krilla to compress each time.
//!
//! Text is shaped once, here, with rustybuzz: the widths the layout measures are the
//! advances of the very glyphs that are drawn, so a measured line is the drawn line. Nothing is
//! read from the filesystem: the font files are compiled into the crate.

use krilla::text::{Font, GlyphId, KrillaGlyph};
use rustybuzz::{Direction, ShapePlan, UnicodeBuffer, script};

use crate::error::PdfError;

static REGULAR_TTF: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
static BOLD_TTF: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

/// The weight of a run of text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Weight {
    Regular,
    Bold,
}

/// Text shaped with one face, ready to draw.
#[derive(Clone, Debug)]
pub(crate) struct Shaped {
    pub(crate) glyphs: Vec<KrillaGlyph>,
    /// Sum of the advances, in em (multiply by the font size for points).
    pub(crate) advance_em: f32,
}

/// One face: the krilla font that embeds it and the shaper that measures it.
pub(crate) struct Face {
    pub(crate) pdf: Font,
    shaper: rustybuzz::Face<'static>,
    plan: ShapePlan,
    units_per_em: f32,
}

impl Face {
    fn load(data: &'static [u8]) -> Result<Face, PdfError> {
        let broken = || PdfError::Rendering("an embedded font could not be read".to_owned());
        let pdf = Font::new(data.into(), 0).ok_or_else(broken)?;
        let shaper = rustybuzz::Face::from_slice(data, 0).ok_or_else(broken)?;
        let plan = ShapePlan::new(
            &shaper,
            Direction::LeftToRight,
            Some(script::LATIN),
            None,
            &[],
        );
        let units_per_em = shaper.units_per_em() as f32;
        Ok(Face {
            pdf,
            shaper,
            plan,
            units_per_em,
        })
    }

    /// Returns an error naming the first character of `text` this face has no glyph for.
    pub(crate) fn check(&self, text: &str) -> Result<(), PdfError> {
        match text
            .chars()
            .find(|&c| self.shaper.glyph_index(c).is_none_or(|g| g.0 == 0))
        {
            Some(c) => Err(PdfError::UnsupportedCharacter(c)),
            None => Ok(()),
        }
    }

    /// Shapes `text` left to right as Latin script (the only script of the portal's
    /// documents; DejaVu also covers Greek and Cyrillic names letter by letter).
    pub(crate) fn shape(&self, text: &str) -> Shaped {
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.set_direction(Direction::LeftToRight);
        buffer.set_script(script::LATIN);
        let output = rustybuzz::shape_with_plan(&self.shaper, &self.plan, buffer);
        let infos = output.glyph_infos();
        let positions = output.glyph_positions();
        let upem = self.units_per_em;
        let mut glyphs = Vec::with_capacity(infos.len());
        let mut advance_em = 0.0;
        for (i, (info, pos)) in infos.iter().zip(positions).enumerate() {
            let start = info.cluster as usize;
            // Left to right, clusters only grow: the cluster ends where the next one starts.
            let end = infos[i + 1..]
                .iter()
                .map(|next| next.cluster as usize)
                .find(|&c| c != start)
                .unwrap_or(text.len());
            let x_advance = pos.x_advance as f32 / upem;
            advance_em += x_advance;
            glyphs.push(KrillaGlyph::new(
                GlyphId::new(info.glyph_id),
                x_advance,
                pos.x_offset as f32 / upem,
                pos.y_offset as f32 / upem,
                pos.y_advance as f32 / upem,
                start..end,
                None,
            ));
        }
        Shaped { glyphs, advance_em }
    }

    /// Width of `text` in points at `size`.
    pub(crate) fn width(&self, text: &str, size: f32) -> f32 {
        self.shape(text).advance_em * size
    }
}

/// Both faces, loaded once per rendering.
pub(crate) struct Fonts {
    regular: Face,
    bold: Face,
}

impl Fonts {
    pub(crate) fn load() -> Result<Fonts, PdfError> {
        Ok(Fonts {
            regular: Face::load(REGULAR_TTF)?,
            bold: Face::load(BOLD_TTF)?,
        })
    }

    pub(crate) fn face(&self, weight: Weight) -> &Face {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_text_is_covered_by_both_faces() {
        let fonts = Fonts::load().unwrap();
        let text = "àâäçéèêëîïôöùûüÿœæÀÂÇÉÈÊËÎÏÔŒÙÛÜ «\u{a0}»\u{202f}’–—…€°";
        fonts.face(Weight::Regular).check(text).unwrap();
        fonts.face(Weight::Bold).check(text).unwrap();
    }

    #[test]
    fn characters_without_glyph_are_reported() {
        let fonts = Fonts::load().unwrap();
        assert_eq!(
            fonts.face(Weight::Regular).check("ok \u{6F22}"),
            Err(PdfError::UnsupportedCharacter('\u{6F22}'))
        );
    }

    #[test]
    fn bold_text_is_wider_and_width_scales_with_size() {
        let fonts = Fonts::load().unwrap();
        let regular = fonts.face(Weight::Regular).width("Madame, Monsieur", 10.0);
        let bold = fonts.face(Weight::Bold).width("Madame, Monsieur", 10.0);
        assert!(regular > 50.0 && bold > regular, "{regular} {bold}");
        let double = fonts.face(Weight::Regular).width("Madame, Monsieur", 20.0);
        assert!((double - 2.0 * regular).abs() < 0.01);
    }

    #[test]
    fn glyph_ranges_cover_the_text() {
        let fonts = Fonts::load().unwrap();
        let text = "Évité";
        let shaped = fonts.face(Weight::Regular).shape(text);
        assert_eq!(shaped.glyphs.first().map(|g| g.text_range.start), Some(0));
        assert_eq!(
            shaped.glyphs.last().map(|g| g.text_range.end),
            Some(text.len())
        );
    }

    #[test]
    fn names_and_messages_people_type_stay_drawable() {
        let fonts = Fonts::load().unwrap();
        for text in [
            // Names: Latin letters with any accent, precomposed or decomposed, ligatures.
            "Ștefan Łukasz Nguyễn Thị Øyvind Ñúñez Þór İlhan Ğ ş Đorđe Ævar Œdipe ẞ ǅ",
            "Le\u{301}a He\u{301}le\u{300}ne ﬁ ʼ",
            // Greek, Cyrillic, Armenian, Georgian.
            "Αλέξανδρος Ἀθῆναι Дмитрий Їжак Ґ Արամ ქართული",
            // The layout's and the French text's marks and symbols.
            "•·–—‘’“”«»‹›…\u{a0}\u{202f}\u{2009}€£$¥°№ºª§¶©®™½¼¾²³×÷−±≤≥→←↑↓✓✔✗☎✉■□●○▪",
            // What members type in messages, and the mark that replaces the rest.
            "😀😉❤\u{fe0f}☺ \u{fffd}",
        ] {
            fonts.face(Weight::Regular).check(text).unwrap();
            fonts.face(Weight::Bold).check(text).unwrap();
        }
    }

    #[test]
    fn right_to_left_scripts_are_left_out() {
        // The shaping is left to right: Arabic or Hebrew would be drawn backwards, unjoined.
        // They are refused like any character without a glyph (or replaced, see printable).
        let fonts = Fonts::load().unwrap();
        for c in ['\u{628}', '\u{5D0}'] {
            assert_eq!(
                fonts.face(Weight::Regular).check(&c.to_string()),
                Err(PdfError::UnsupportedCharacter(c))
            );
        }
    }
}
