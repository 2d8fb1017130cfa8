/**
 * The names `\p{…}` accepts in Go's regexp (and so in Prometheus): `Any`, the
 * general categories of Go's unicode.Categories, and the long script names of
 * unicode.Scripts (Unicode 15). JavaScript also knows short aliases such as
 * `Latn` and binary properties such as `Alphabetic`; Go does not, so a name
 * must be on these lists, not merely be something JavaScript understands.
 */
import { MAX_RUNE } from './charset.js';

/** What a `\p` name stands for, ready to spell in a JavaScript class. */
export interface UnicodeClass {
  /** Code point ranges, for `Any`. */
  readonly ranges?: readonly number[];
  /** JavaScript property expressions whose union is the class (`L`, `Script=Greek`). */
  readonly props?: readonly string[];
}

const CATEGORIES = new Set(
  (
    'L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps ' +
    'S Sc Sk Sm So Z Zl Zp Zs Cc Cf Co Cs'
  ).split(' '),
);

const SCRIPTS = new Set(
  (
    'Adlam Ahom Anatolian_Hieroglyphs Arabic Armenian Avestan Balinese Bamum Bassa_Vah Batak ' +
    'Bengali Bhaiksuki Bopomofo Brahmi Braille Buginese Buhid Canadian_Aboriginal Carian ' +
    'Caucasian_Albanian Chakma Cham Cherokee Chorasmian Common Coptic Cuneiform Cypriot ' +
    'Cypro_Minoan Cyrillic Deseret Devanagari Dives_Akuru Dogra Duployan Egyptian_Hieroglyphs ' +
    'Elbasan Elymaic Ethiopic Georgian Glagolitic Gothic Grantha Greek Gujarati Gunjala_Gondi ' +
    'Gurmukhi Han Hangul Hanifi_Rohingya Hanunoo Hatran Hebrew Hiragana Imperial_Aramaic ' +
    'Inherited Inscriptional_Pahlavi Inscriptional_Parthian Javanese Kaithi Kannada Katakana ' +
    'Kawi Kayah_Li Kharoshthi Khitan_Small_Script Khmer Khojki Khudawadi Lao Latin Lepcha Limbu ' +
    'Linear_A Linear_B Lisu Lycian Lydian Mahajani Makasar Malayalam Mandaic Manichaean Marchen ' +
    'Masaram_Gondi Medefaidrin Meetei_Mayek Mende_Kikakui Meroitic_Cursive Meroitic_Hieroglyphs ' +
    'Miao Modi Mongolian Mro Multani Myanmar Nabataean Nag_Mundari Nandinagari New_Tai_Lue Newa ' +
    'Nko Nushu Nyiakeng_Puachue_Hmong Ogham Ol_Chiki Old_Hungarian Old_Italic Old_North_Arabian ' +
    'Old_Permic Old_Persian Old_Sogdian Old_South_Arabian Old_Turkic Old_Uyghur Oriya Osage ' +
    'Osmanya Pahawh_Hmong Palmyrene Pau_Cin_Hau Phags_Pa Phoenician Psalter_Pahlavi Rejang ' +
    'Runic Samaritan Saurashtra Sharada Shavian Siddham SignWriting Sinhala Sogdian ' +
    'Sora_Sompeng Soyombo Sundanese Syloti_Nagri Syriac Tagalog Tagbanwa Tai_Le Tai_Tham ' +
    'Tai_Viet Takri Tamil Tangsa Tangut Telugu Thaana Thai Tibetan Tifinagh Tirhuta Toto ' +
    'Ugaritic Vai Vithkuqi Wancho Warang_Citi Yezidi Yi Zanabazar_Square'
  ).split(' '),
);

export function unicodeClass(name: string): UnicodeClass | undefined {
  if (name === 'Any') return { ranges: [0, MAX_RUNE] };
  // Go's C is the union of its subcategories, without the unassigned Cn
  // that JavaScript's \p{C} includes.
  if (name === 'C') return { props: ['Cc', 'Cf', 'Co', 'Cs'] };
  if (CATEGORIES.has(name)) return { props: [name] };
  if (SCRIPTS.has(name)) return { props: [`Script=${name}`] };
  return undefined;
}
