// One stand-in of the floor chain (bench-floor.ts) in a process of its own:
//   node floor-process.js <classifier|translator|gateway> <port> [targets…]
import { createClassifierStandIn, createGatewayStandIn, createStandInServer, createTranslatorStandIn } from './floor-stand-ins.js';

const [role, portText, ...targets] = process.argv.slice(2);

function createHandler() {
  switch (role) {
    case 'classifier':
      return createClassifierStandIn();
    case 'translator':
      return createTranslatorStandIn(targets[0]!, process.env.FLOOR_MODEL_BODY ?? '{}');
    case 'gateway':
      return createGatewayStandIn(targets[0]!, targets[1]!);
    default:
      throw new Error(`unknown role ${role}`);
  }
}

createStandInServer(createHandler()).listen(Number(portText), '127.0.0.1', () => process.send?.('ready'));
