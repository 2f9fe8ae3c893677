// Scores pairs of source texts with OmegaT's own classes: its default word tokenizer (no stemming) and
// FuzzyMatcher.calcSimilarity over LevenshteinDistance, the fuzzy match percentage OmegaT shows.
// Input: one pair per line, the two texts separated by a tab. Output per pair: the score, then the words of
// each text, tab-separated, the words joined by U+001F.
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.omegat.core.matching.FuzzyMatcher;
import org.omegat.core.matching.LevenshteinDistance;
import org.omegat.tokenizer.DefaultTokenizer;
import org.omegat.tokenizer.ITokenizer;
import org.omegat.util.Token;

public class OmegatFuzzy {
    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PrintStream out = new PrintStream(System.out, true, "UTF-8");
        DefaultTokenizer tokenizer = new DefaultTokenizer();
        String line;
        while ((line = in.readLine()) != null) {
            String[] pair = line.split("\t", -1);
            Token[] a = tokenizer.tokenizeWords(pair[0], ITokenizer.StemmingMode.NONE);
            Token[] b = tokenizer.tokenizeWords(pair[1], ITokenizer.StemmingMode.NONE);
            int score = FuzzyMatcher.calcSimilarity(new LevenshteinDistance(), a, b);
            out.println(score + "\t" + words(a, pair[0]) + "\t" + words(b, pair[1]));
        }
    }

    private static String words(Token[] tokens, String text) {
        StringBuilder words = new StringBuilder();
        for (int i = 0; i < tokens.length; i++) {
            if (i > 0) words.append('\u001f');
            words.append(tokens[i].getTextFromString(text));
        }
        return words.toString();
    }
}
