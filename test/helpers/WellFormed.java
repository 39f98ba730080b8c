// Checks that each file named on the command line is well-formed XML 1.0,
// with the JDK's own parser (Xerces): strict where fast-xml-parser's
// validator is lenient (`&` and `<` in attribute values, forbidden control
// characters). Prints `file:line:column: message` per broken file; exits 1
// when any is broken. Run as `java WellFormed.java FILE...` (no compile step).
import java.io.File;
import javax.xml.parsers.SAXParserFactory;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

public class WellFormed {
  public static void main(String[] args) throws Exception {
    SAXParserFactory factory = SAXParserFactory.newInstance();
    factory.setNamespaceAware(true);
    int broken = 0;
    for (String name : args) {
      try {
        factory.newSAXParser().parse(new File(name), new DefaultHandler());
      } catch (SAXParseException error) {
        broken++;
        System.out.println(name + ":" + error.getLineNumber() + ":" + error.getColumnNumber() + ": " + error.getMessage());
      }
    }
    System.exit(broken == 0 ? 0 : 1);
  }
}
