package io.shendu.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;

/**
 * 313 poems of the Tang dynasty (唐诗三百首; public domain), embedded as UTF-8: 29,577 characters, 2,579 distinct.
 * Each poem is a block — title line 《…》, author line 作者：…, the verses — and blocks are separated by a blank
 * line. Taken from Debian's fortunes-zh (file tang300). A small real corpus for a character-level language model.
 */
public final class TangPoems {

    private static final String RESOURCE = "/io/shendu/data/tang300.txt";

    private TangPoems() {}

    public static TextCorpus embedded() {
        try (InputStream in = TangPoems.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new DataFileException("classpath:" + RESOURCE + ": resource not found (is the jar complete?)");
            // Strict decoding: a damaged file fails here rather than turning into U+FFFD characters.
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(in.readAllBytes())).toString();
            return TextCorpus.of(text);
        } catch (CharacterCodingException e) {
            throw new DataFileException("classpath:" + RESOURCE + ": not valid UTF-8: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new DataFileException("classpath:" + RESOURCE + ": cannot read: " + e.getMessage(), e);
        }
    }
}
