import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import org.omegat.core.segmentation.Rule;
import org.omegat.core.segmentation.SRX;
import org.omegat.core.segmentation.Segmenter;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Segments text with OmegaT's own Segmenter and the rules of an SRX 2.0 file.
 *
 * <p>Usage: java -cp STUBS:CLASSES:OmegaT.jar OmegatParity FILE.srx &lt; cases &gt; results
 *
 * <p>Input, one case per line: language code, a tab, the text. Output, one line per case: for every segment
 * OmegaT returns, three tab-separated fields (whitespace OmegaT trimmed before it, the segment, whitespace
 * trimmed after it), so the caller can rebuild the cut positions. Backslash, tab, CR and LF are escaped as
 * \\ \t \r \n both ways.
 */
public final class OmegatParity {
    private static final String SRX_NS = "http://www.lisa.org/srx20";

    private OmegatParity() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: OmegatParity FILE.srx < cases");
            System.exit(2);
        }
        Rules rules = Rules.read(new File(args[0]));
        Segmenter segmenter = new Segmenter();
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            int tab = line.indexOf('\t');
            String lang = line.substring(0, tab);
            String text = unescape(line.substring(tab + 1));
            SRX.useRules(rules.forLanguage(lang));
            List<StringBuilder> spaces = new ArrayList<>();
            // The language argument only reaches SRX.lookupRulesForLanguage, which the stand-in answers.
            List<String> segments = segmenter.segment(null, text, spaces, null);
            StringBuilder result = new StringBuilder();
            for (int i = 0; i < segments.size(); i++) {
                if (i > 0) {
                    result.append('\t');
                }
                result.append(escape(spaces.get(2 * i).toString())).append('\t');
                result.append(escape(segments.get(i))).append('\t');
                result.append(escape(spaces.get(2 * i + 1).toString()));
            }
            out.println(result);
        }
        out.flush();
    }

    /** The language rules and map of an SRX 2.0 file. */
    private static final class Rules {
        private final Map<String, List<Rule>> byName = new HashMap<>();
        private final List<String[]> map = new ArrayList<>();
        private boolean cascade = true;

        static Rules read(File file) throws Exception {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setExpandEntityReferences(false);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document document = factory.newDocumentBuilder().parse(file);
            Rules rules = new Rules();
            NodeList headers = document.getElementsByTagNameNS(SRX_NS, "header");
            if (headers.getLength() > 0 && "no".equals(((Element) headers.item(0)).getAttribute("cascade"))) {
                rules.cascade = false;
            }
            NodeList languageRules = document.getElementsByTagNameNS(SRX_NS, "languagerule");
            for (int i = 0; i < languageRules.getLength(); i++) {
                Element languageRule = (Element) languageRules.item(i);
                List<Rule> list = new ArrayList<>();
                NodeList ruleElements = languageRule.getElementsByTagNameNS(SRX_NS, "rule");
                for (int j = 0; j < ruleElements.getLength(); j++) {
                    Element rule = (Element) ruleElements.item(j);
                    boolean isBreak = !"no".equals(rule.getAttribute("break"));
                    list.add(new Rule(isBreak, text(rule, "beforebreak"), text(rule, "afterbreak")));
                }
                rules.byName.put(languageRule.getAttribute("languagerulename"), list);
            }
            NodeList maps = document.getElementsByTagNameNS(SRX_NS, "languagemap");
            for (int i = 0; i < maps.getLength(); i++) {
                Element map = (Element) maps.item(i);
                rules.map.add(new String[] {map.getAttribute("languagepattern"), map.getAttribute("languagerulename")});
            }
            return rules;
        }

        private static String text(Element rule, String name) {
            NodeList found = rule.getElementsByTagNameNS(SRX_NS, name);
            return found.getLength() == 0 ? "" : found.item(0).getTextContent();
        }

        /** The rules of every language rule whose pattern matches the whole code, in map order. */
        List<Rule> forLanguage(String lang) {
            List<Rule> result = new ArrayList<>();
            for (String[] entry : map) {
                if (Pattern.compile(entry[0], Pattern.CASE_INSENSITIVE).matcher(lang).matches()) {
                    result.addAll(byName.get(entry[1]));
                    if (!cascade) {
                        break;
                    }
                }
            }
            return result;
        }
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n");
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
