namespace OpsDesk.Workflows.Triage.Classifiers.Local;

/// <summary>
/// A small language guess: Devanagari script → hi; otherwise stopword counts for es, fr, de, pt and
/// Hindi written in Latin script against English; English when nothing stands out.
/// </summary>
internal static class LanguageDetector
{
    private static readonly (string Code, HashSet<string> Words)[] Languages =
    [
        ("en", Set("the and is my i to not it for on of was have with but this in me you am are has from after")),
        ("es", Set("el la los las que y mi pero fue con por una del se al aparece intenté pedido mis está")),
        ("fr", Set("le la les je mon ma mes pas est une pour des mais ai il toujours reçu et du au ne")),
        ("de", Set("der die das und ich nicht ist mit auf nach beim immer sie bitte mein meine ein eine den dem zu")),
        ("pt", Set("o os que e não minha meu com para uma mesmo depois consigo aparece na no da do")),
        ("hi", Set("hai nahi mera mere meri maine kya raha rahi ho gaya gaye kar ke liye se ka ki abhi tak kab aaya bhi jab hu hoon kiye hua tha")),
    ];

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>>[] Lookups =
        [.. Languages.Select(l => l.Words.GetAlternateLookup<ReadOnlySpan<char>>())];

    public static string Detect(string normalizedText)
    {
        var letters = 0;
        var devanagari = 0;
        foreach (var ch in normalizedText)
        {
            if (ch is >= '\u0900' and <= '\u097F')
                devanagari++;
            if (char.IsLetter(ch))
                letters++;
        }

        if (letters > 0 && devanagari * 10 >= letters * 3)
            return "hi";

        Span<int> counts = stackalloc int[Languages.Length];
        foreach (var range in normalizedText.AsSpan().Split(' '))
        {
            var word = normalizedText.AsSpan()[range];
            for (var i = 0; i < Languages.Length; i++)
            {
                if (Lookups[i].Contains(word))
                    counts[i]++;
            }
        }

        var best = 0;
        for (var i = 1; i < Languages.Length; i++)
        {
            if (counts[i] > counts[best])
                best = i;
        }

        // Hindi in Latin script mixes in English words; it wins with three markers that at least match the English ones.
        var hinglish = Languages.Length - 1;
        if (counts[hinglish] >= 3 && counts[hinglish] >= counts[0])
            return "hi";
        return best != 0 && best != hinglish && counts[best] >= 2 ? Languages[best].Code : "en";
    }

    private static HashSet<string> Set(string words) => new(words.Split(' '), StringComparer.Ordinal);
}
