import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Answers, for a Java pattern and a text, where a match starting at each offset ends: the meaning every SRX
 * rule file in the wild was written for.
 *
 * <p>Input, one case per line: pattern, a tab, text (backslash, tab, CR and LF escaped as \\ \t \r \n). Output,
 * one line per case: "error" when Java refuses the pattern, else for each UTF-16 offset of the text the end of
 * the match found there with lookingAt (transparent bounds, so lookarounds see the whole text) or -1,
 * space-separated.
 */
public final class RegexOracle {
    private RegexOracle() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            int tab = line.indexOf('\t');
            String text = unescape(line.substring(tab + 1));
            Pattern pattern;
            try {
                pattern = Pattern.compile(unescape(line.substring(0, tab)));
            } catch (PatternSyntaxException e) {
                out.println("error");
                continue;
            }
            Matcher matcher = pattern.matcher(text);
            matcher.useTransparentBounds(true);
            matcher.useAnchoringBounds(false);
            StringBuilder result = new StringBuilder();
            for (int i = 0; i <= text.length(); i++) {
                matcher.region(i, text.length());
                result.append(i == 0 ? "" : " ").append(matcher.lookingAt() ? matcher.end() : -1);
            }
            out.println(result);
        }
        out.flush();
    }

    private static String unescape(String text) {
        StringBuilder result = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(++i);
                result.append(next == 't' ? '\t' : next == 'r' ? '\r' : next == 'n' ? '\n' : next);
            } else {
                result.append(c);
            }
        }
        return result.toString();
    }
}
